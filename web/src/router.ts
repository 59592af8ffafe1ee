import { useEffect, useState } from 'react';

/**
 * A minimal history-API router: the dashboard has one page per module and a
 * few query parameters, so a library would add more than it saves. The server
 * answers every non-API path with index.html.
 */
export function navigate(to: string): void {
  if (to === currentLocation()) return;
  window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function currentLocation(): string {
  return window.location.pathname + window.location.search;
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const onChange = () => setLocation(currentLocation());
    window.addEventListener('popstate', onChange);
    return () => window.removeEventListener('popstate', onChange);
  }, []);
  const [path, search = ''] = location.split('?');
  return { path: path ?? '/', query: new URLSearchParams(search) };
}

/** Props for an in-app link: a real href (open in new tab works) with client-side navigation. */
export function linkProps(to: string) {
  return {
    href: to,
    onClick: (event: React.MouseEvent) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(to);
    },
  };
}
