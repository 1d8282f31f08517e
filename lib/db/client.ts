import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

const globalForPrisma = globalThis as unknown as { acctscopePrisma?: PrismaClient };

/** The one Prisma client of the process (Next.js dev reloads modules; keep it on globalThis). */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.acctscopePrisma) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) {
      throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides one.');
    }
    globalForPrisma.acctscopePrisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString, max: 10 }),
    });
  }
  return globalForPrisma.acctscopePrisma;
}

/** Closes the process's Prisma client, if one was made (its idle connections keep a process alive). */
export async function disconnectPrisma(): Promise<void> {
  const client = globalForPrisma.acctscopePrisma;
  globalForPrisma.acctscopePrisma = undefined;
  await client?.$disconnect();
}
