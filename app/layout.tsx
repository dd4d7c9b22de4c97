import type { Metadata } from 'next';
import Link from 'next/link';
import './globals.css';

export const metadata: Metadata = {
  title: 'Lockstep',
  description: 'Design, model-check and generate guards for resource lifecycles under concurrency',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="app-header">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden>
              L
            </span>
            Lockstep
          </Link>
          <nav className="app-nav">
            <Link href="/">Models</Link>
          </nav>
          <span className="app-tagline">Design concurrent resource lifecycles. Check every interleaving.</span>
        </header>
        <main className="app-main">{children}</main>
      </body>
    </html>
  );
}
