/** /og/<key>.png — each page's 1200×630 share image, drawn at build time (see share/share-image.ts). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { shareImageInputs } from '../../sharing/share-images.ts';
import { shareImage } from '../../sharing/share-image.ts';
import { appealShareImages } from '../../needs/appeal-images.ts';
import { getCampaign } from '../../shared/content.ts';
import { SLOGAN } from '../../shared/site.ts';

export const getStaticPaths = (async () => {
  const campaign = await getCampaign();
  const common = { slogan: SLOGAN, organisers: `${campaign.organiser.name} · ${campaign.partner.name}` };
  return [...(await shareImageInputs()), ...appealShareImages(common)].map(({ key, input }) => ({
    params: { path: key },
    props: { input },
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<Awaited<ReturnType<typeof getStaticPaths>>[number]['props']> = async ({ props }) => {
  const { png } = await shareImage(props.input);
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
