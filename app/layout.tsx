import type { Metadata } from 'next';
import Link from 'next/link';
import './globals.css';

export const metadata: Metadata = {
  title: 'acctscope',
  description: 'Deliverability dashboard for PowerMTA accounting files',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-gray-50 text-gray-900 antialiased dark:bg-gray-950 dark:text-gray-100">
        <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
          <nav className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3 text-sm">
            <Link href="/" className="font-semibold tracking-tight">
              acctscope
            </Link>
            <Link href="/" className="text-gray-600 hover:text-gray-900 dark:text-gray-300">
              Overview
            </Link>
            <Link href="/records" className="text-gray-600 hover:text-gray-900 dark:text-gray-300">
              Records
            </Link>
            <Link href="/ingest" className="text-gray-600 hover:text-gray-900 dark:text-gray-300">
              Ingest status
            </Link>
          </nav>
        </header>
        <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
      </body>
    </html>
  );
}
