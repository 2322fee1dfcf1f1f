/**
 * Share links that are plain URLs: sharing needs no third-party script on
 * the page (docs/developers.md, "Sharing"). Each network receives the page address and, where it
 * takes one, the title.
 */

export interface ShareLink {
  network: 'facebook' | 'x' | 'telegram' | 'email';
  label: string;
  href: string;
}

export function shareLinks(pageUrl: string, title: string): ShareLink[] {
  const url = encodeURIComponent(pageUrl);
  const text = encodeURIComponent(title);
  return [
    { network: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${url}` },
    { network: 'x', label: 'X', href: `https://x.com/intent/post?url=${url}&text=${text}` },
    { network: 'telegram', label: 'Telegram', href: `https://t.me/share/url?url=${url}&text=${text}` },
    { network: 'email', label: 'Email', href: `mailto:?subject=${text}&body=${text}%0A${url}` },
  ];
}

/** A title short enough for share cards (70 characters), cut between words with "…". */
export function shareTitle(title: string, max = 70): string {
  if (title.length <= max) return title;
  const cut = title.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}
