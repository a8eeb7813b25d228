import type { Metadata } from 'next';
import type { ReactNode } from 'react';

import { AppNav } from '@/components/ui/app-nav';
import { ClusterBanner } from '@/components/ui/cluster-banner';
import { QueryProvider } from '@/components/ui/query-provider';
import '@xyflow/react/dist/style.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Pipedeck',
  description: 'Build, run and inspect container pipelines.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex h-full flex-col bg-slate-50 text-slate-900">
        <QueryProvider>
          <AppNav />
          <ClusterBanner />
          <main className="flex min-h-0 flex-1 flex-col">{children}</main>
        </QueryProvider>
      </body>
    </html>
  );
}
