/** <save-on-device>: keeps the confirmed sign-up in this browser's storage, and removes it when asked. */
import { deviceStorage, readSaved, savedStore, withoutSaved, withSaved } from './saved-signups.ts';
import { NOT_SAVED, REMOVED_FROM_DEVICE, SAVED_ON_DEVICE } from './words.ts';

class SaveOnDevice extends HTMLElement {
  connectedCallback() {
    const [signup] = readSaved(`[${this.dataset['signup'] ?? ''}]`);
    const message = this.querySelector<HTMLElement>('[data-saved-message]');
    const remove = this.querySelector<HTMLButtonElement>('[data-remove]');
    if (!signup || !message || !remove) return;
    const store = savedStore(deviceStorage());
    const saved = store.write(withSaved(store.read(), signup));
    message.textContent = saved ? SAVED_ON_DEVICE : NOT_SAVED;
    remove.hidden = !saved;
    this.hidden = false;
    remove.addEventListener('click', () => {
      store.write(withoutSaved(store.read(), signup.code));
      message.textContent = REMOVED_FROM_DEVICE;
      remove.hidden = true;
    });
  }
}

customElements.define('save-on-device', SaveOnDevice);
