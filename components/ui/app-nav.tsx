'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

import { ClusterStatus } from '@/components/ui/cluster-status';

const links = [
  { href: '/pipelines', label: 'Pipelines' },
  { href: '/runs', label: 'Runs' },
];

/** Top bar with the product name and the main sections. */
export function AppNav() {
  const pathname = usePathname();

  return (
    <header className="flex h-12 shrink-0 items-center gap-6 border-b border-slate-200 bg-white px-4">
      <Link href="/pipelines" className="font-semibold tracking-tight text-slate-900">
        Pipedeck
      </Link>
      <nav aria-label="Main" className="flex gap-4 text-sm">
        {links.map((link) => {
          const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <Link
              key={link.href}
              href={link.href}
              aria-current={active ? 'page' : undefined}
              className={active ? 'font-medium text-blue-700' : 'text-slate-600 hover:text-slate-900'}
            >
              {link.label}
            </Link>
          );
        })}
      </nav>
      <div className="ml-auto">
        <ClusterStatus />
      </div>
    </header>
  );
}
