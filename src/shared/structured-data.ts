/**
 * JSON-LD builders, typed with schema-dts so that a misspelt property or a
 * wrong type fails `astro check` instead of being ignored by search engines.
 */
import type { BreadcrumbList, Organization as AnyOrganization, Thing } from 'schema-dts';
import type { getCampaign } from './content.ts';

type Campaign = Awaited<ReturnType<typeof getCampaign>>;
// schema-dts also allows a bare string (an id) where an Organization goes; these are whole nodes.
type Organization = Exclude<AnyOrganization, string>;

/** What pages hand to <SeoHead jsonLd>: a schema.org node without its @context. */
export type JsonLdNode = Exclude<Thing, string>;

/** The organisers: the provincial Red Cross, and the provincial police as partner. */
export function organisers(campaign: Campaign): Organization[] {
  const organiser: Organization = {
    '@type': 'Organization',
    name: campaign.organiser.name,
    ...(campaign.organiser.shortName ? { alternateName: campaign.organiser.shortName } : {}),
    ...(campaign.organiser.url ? { url: campaign.organiser.url } : {}),
    telephone: campaign.hotline,
    areaServed: 'Cà Mau, Việt Nam',
  };
  const partner: Organization = {
    '@type': 'Organization',
    name: campaign.partner.name,
    ...(campaign.partner.url ? { url: campaign.partner.url } : {}),
  };
  return [organiser, partner];
}

export interface Crumb {
  name: string;
  path: string;
}

/** Home › section › page, with absolute addresses. */
export function breadcrumbList(site: URL, crumbs: readonly Crumb[]): BreadcrumbList {
  return {
    '@type': 'BreadcrumbList',
    itemListElement: [{ name: 'Trang chủ', path: '/' }, ...crumbs].map((crumb, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      name: crumb.name,
      item: new URL(crumb.path, site).href,
    })),
  };
}
