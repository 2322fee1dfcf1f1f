/**
 * Subscribing this browser to Web Push for reminders, through the site's
 * service worker and the server's VAPID public key. Loaded by the sign-up
 * island only when someone ticks "Thông báo trên trình duyệt này", so no page
 * pays for it otherwise. The subscription (endpoint and keys) is posted with
 * the form; the server encrypts each message for it (RFC 8291).
 */
/** A refusal to explain to the person, in their words. */
export class PushUnavailable extends Error {
  override name = 'PushUnavailable';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const text = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/** The subscription as JSON for the form's hidden field. */
export async function subscribeToPush(publicKey: string): Promise<string> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    throw new PushUnavailable('Trình duyệt này không nhận được thông báo. Hãy chọn cách nhận khác.');
  }
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new PushUnavailable(
      'Bạn chưa cho phép trang gửi thông báo. Hãy cho phép trong cài đặt của trình duyệt, hoặc chọn cách nhận khác.',
    );
  }
  // Every page registers the worker after `load` (offline/register-service-worker.ts); importing its
  // path here would split it into a chunk of its own that every page then fetches.
  const registration = await navigator.serviceWorker.ready;
  const key = keyBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    // Made with another key (the server's key changed): a new one is needed.
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  return JSON.stringify(subscription.toJSON());
}
