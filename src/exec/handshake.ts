import { BerthError } from '../errors/index.js';
import { parseClientMessage, type Initialize } from './protocol.js';

/** The session's first frame, which must be a text Initialize; anything else is INVALID_ARGUMENT. */
export function readInitialize(data: Buffer, isBinary: boolean): Initialize {
  if (isBinary) throw new BerthError('INVALID_ARGUMENT', 'Initialize must come before any input');
  const msg = parseClientMessage(data.toString('utf8'));
  if (msg.type !== 'initialize') throw new BerthError('INVALID_ARGUMENT', 'The first message must be Initialize');
  return msg.init;
}
