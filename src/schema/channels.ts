/**
 * Channel names as exports write them (English and Spanish, help-desk `via` values) folded to a
 * short canonical set, so `Correo electrónico`, `Mail` and `e-mail` are one channel. Keys are
 * normalized with `normalizeHeader`. A value not listed here is kept, lower-cased; a config value
 * map (`"values": {"channel": {...}}`) overrides both.
 */
import { normalizeHeader } from './fields.js';

const CHANNELS: Record<string, readonly string[]> = {
  email: ['email', 'e-mail', 'mail', 'correo', 'correo electronico', 'correo-e', 'email ticket', 'e mail'],
  phone: ['phone', 'telephone', 'call', 'calls', 'voice', 'customer care call', 'telefono', 'llamada', 'telefonico', 'telefonica', 'inbound call', 'outbound call'],
  chat: ['chat', 'live chat', 'livechat', 'messaging', 'chat en vivo', 'chat web'],
  web: ['web', 'web form', 'webform', 'website', 'internet', 'online', 'portal', 'help center', 'formulario', 'formulario web', 'pagina web', 'sitio web'],
  app: ['app', 'mobile app', 'mobile', 'in app', 'aplicacion', 'aplicacion movil', 'movil'],
  store: ['store', 'shop', 'in store', 'retail', 'branch', 'tienda', 'oficina', 'sucursal', 'punto de venta'],
  sms: ['sms', 'text message', 'mensaje de texto'],
  whatsapp: ['whatsapp', 'whats app'],
  social: ['social', 'social media', 'twitter', 'facebook', 'instagram', 'redes sociales', 'x'],
  api: ['api'],
  fax: ['fax'],
  postal: ['mail postal', 'postal mail', 'post', 'letter', 'carta', 'correo postal'],
  referral: ['referral'],
};

export const DEFAULT_CHANNELS: ReadonlyMap<string, string> = new Map(
  Object.entries(CHANNELS).flatMap(([canonical, words]) => words.map((word) => [normalizeHeader(word), canonical] as const)),
);
