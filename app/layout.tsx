import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { FocusKeeper } from '@/components/focus-keeper.tsx';
import { MainNav, MainNavLinks } from '@/components/main-nav.tsx';
import { ThemeToggle } from '@/components/theme-toggle.tsx';
import { THEME_SCRIPT } from '@/lib/theme.ts';
import './globals.css';

export const metadata: Metadata = {
  title: 'acctscope',
  description: 'Deliverability dashboard for PowerMTA accounting files',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Sets the theme class before the first paint, so dark mode never flashes light. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, no user input */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-gray-50 text-gray-900 antialiased dark:bg-gray-950 dark:text-gray-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-2 focus:py-1 dark:focus:bg-gray-900"
        >
          Skip to content
        </a>
        <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
          <nav
            aria-label="Main"
            className="mx-auto flex max-w-7xl flex-wrap items-center gap-6 px-6 py-3 text-sm"
          >
            <Link prefetch={false} href="/" className="font-semibold tracking-tight">
              acctscope
            </Link>
            <Suspense fallback={<MainNavLinks query="" />}>
              <MainNav />
            </Suspense>
            <ThemeToggle />
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-7xl px-6 py-6">
          {children}
        </main>
        <Suspense fallback={null}>
          <FocusKeeper />
        </Suspense>
      </body>
    </html>
  );
}
