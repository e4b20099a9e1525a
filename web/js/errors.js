// What to tell the person for each error code of the API (docs/errors.md) and of the
// conversation socket (docs/protocol.md). The server's own message is kept where it
// says something specific (a field, a missing detail).

const MESSAGES = {
  // HTTP
  INVALID_BODY: 'The request was not understood. Please reload the page and try again.',
  INVALID_QUERY: 'That search or filter was not understood.',
  BAD_REQUEST: 'The request was not understood.',
  UNAUTHORIZED: 'Please sign in.',
  INVALID_TOKEN: 'Your sign-in is no longer valid. Please sign in again.',
  TOKEN_EXPIRED: 'Your sign-in has expired. Please sign in again.',
  INVALID_CREDENTIALS: 'That email and password do not match an account.',
  INVALID_REFRESH_TOKEN: 'Your sign-in has ended. Please sign in again.',
  ACCOUNT_SUSPENDED: 'This account is suspended. Contact support if you think this is a mistake.',
  FORBIDDEN: 'Your account cannot do this.',
  MEDIA_URL_INVALID: 'This audio link is not valid. Reload the item to get a fresh one.',
  MEDIA_URL_EXPIRED: 'This audio link has expired. Reload the item to get a fresh one.',
  INSUFFICIENT_CREDITS: 'You do not have enough credits for this. Buy a credit pack on the Credits screen.',
  NOT_FOUND: 'That could not be found. It may have been deleted.',
  SESSION_NOT_FOUND: 'That conversation could not be found.',
  METHOD_NOT_ALLOWED: 'That action is not available.',
  INVALID_SIGNATURE: 'The payment notice could not be verified.',
  INVALID_EVENT: 'The payment notice was not understood.',
  NOT_A_BUYER: 'Only people who bought this pack can review it.',
  PACK_STATUS: 'The pack cannot change that way in its current status.',
  NOT_FOR_SALE: 'This pack is not for sale.',
  ALREADY_OWNED: 'You already own this pack.',
  ALREADY_REVIEWED: 'You have already reviewed this pack.',
  INVALID_PACK_ITEMS: 'A pack can only hold your own finished items.',
  PAYMENT_PROVIDER_ERROR: 'The payment provider could not open the checkout. Nothing was charged; please try again.',
  EMAIL_TAKEN: 'An account with this email already exists. Sign in instead.',
  CONFLICT: 'That clashes with something that already exists.',
  CONTENT_NOT_READY: 'This item is still being created. Try again when it is ready.',
  AUDIO_NOT_AVAILABLE: 'This item has no audio.',
  CONVERSATION_NOT_READY: 'The conversation is not ready to create the item yet.',
  SESSION_MOVED: 'The conversation moved to another server. Reconnecting…',
  SESSION_BUSY: 'The guide is still answering. Please wait a moment.',
  SESSION_EXPIRED: 'This conversation has expired. Start a new one.',
  PAYLOAD_TOO_LARGE: 'That is too large to send.',
  UNSUPPORTED_MEDIA_TYPE: 'The request was not understood.',
  RANGE_NOT_SATISFIABLE: 'The audio could not be loaded. Reload the item.',
  VALIDATION_ERROR: 'Please check what you entered.',
  RATE_LIMITED: 'You are going a little fast. Please wait a moment and try again.',
  SESSION_LIMIT: 'You have too many conversations open. Finish or cancel one first.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again.',
  SERVICE_UNAVAILABLE: 'The service is not available right now. Please try again shortly.',
  // Socket frames
  INVALID_FRAME: 'The guide did not understand that. Please reload the page.',
  NO_SESSION: 'No conversation is open. Start one first.',
  SESSION_MISMATCH: 'This socket belongs to another conversation. Reconnecting…',
  MESSAGE_TOO_LONG: 'That message is too long. Please keep it under 4,000 characters.',
  STT_NOT_CONFIGURED: 'Speech input is not available on this server. Please type instead.',
  STT_FAILED: 'Your voice could not be turned into text just now. Please try again, or type.',
  VOICE_UNAVAILABLE: 'This server has no voice for replies, so your browser reads them instead.',
  REPLY_AUDIO_FAILED: 'This reply could not be voiced; its words are shown instead.',
  AUDIO_EMPTY: 'No speech was heard. Please try again, a little closer to the microphone.',
  AUDIO_TOO_LARGE: 'That recording is too long. Please keep each thing you say under a minute.',
  INVALID_AUDIO: 'That recording could not be read. Please try again.',
  GENERATION_FAILED: 'The item could not be created. Your credits were not charged; please try again.',
  // The console's own
  NETWORK: 'The server cannot be reached. Check your connection.',
  SOCKET_REPLACED: 'This conversation was opened in another window.',
};

/** Codes whose server message names the detail (a field, a missing answer). */
const SPECIFIC = new Set(['VALIDATION_ERROR', 'CONVERSATION_NOT_READY', 'INVALID_PACK_ITEMS', 'PACK_STATUS']);

/** The sentence to show for an error code and the server's message. */
export function describe(code, serverMessage, details) {
  if (code === 'INSUFFICIENT_CREDITS' && details && details.required !== undefined) {
    return `This needs ${details.required} credits and you have ${details.available}. Buy a credit pack on the Credits screen.`;
  }
  if (code === 'RATE_LIMITED' && details && details.retry_after) {
    return `You are going a little fast. Please try again in ${details.retry_after} s.`;
  }
  if (SPECIFIC.has(code) && serverMessage) return serverMessage;
  return MESSAGES[code] || serverMessage || 'Something went wrong. Please try again.';
}
