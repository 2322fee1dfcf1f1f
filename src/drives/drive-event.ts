/**
 * A drive as a schema.org Event (JSON-LD): times in ISO 8601 with +07:00,
 * the place with its coordinates, cancelled drives marked so. Typed with
 * schema-dts; the drive page hands it to its layout.
 */
import type { Event } from 'schema-dts';
import { toIsoWithOffset } from '../shared/dates.ts';

export interface EventDrive {
  name: string;
  notes?: string | undefined;
  start: Date;
  end: Date;
  status: string;
  address: string;
  commune: string;
  latitude: number;
  longitude: number;
  organiser: string;
  phone: string;
}

export function driveEvent(drive: EventDrive, page: { url: string; image: string; description: string }): Event {
  return {
    '@type': 'Event',
    name: drive.name,
    description: drive.notes ?? page.description,
    startDate: toIsoWithOffset(drive.start),
    endDate: toIsoWithOffset(drive.end),
    eventStatus:
      drive.status === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    isAccessibleForFree: true,
    inLanguage: 'vi',
    url: page.url,
    image: [page.image],
    location: {
      '@type': 'Place',
      name: drive.address,
      address: {
        '@type': 'PostalAddress',
        streetAddress: drive.address,
        addressLocality: drive.commune,
        addressRegion: 'Cà Mau',
        addressCountry: 'VN',
      },
      geo: { '@type': 'GeoCoordinates', latitude: drive.latitude, longitude: drive.longitude },
    },
    organizer: { '@type': 'Organization', name: drive.organiser, telephone: drive.phone },
  };
}
