/** An uploaded or inbound media object (owned by the media module). */
export interface Media {
  id: string;
  /** Phone number that uploaded it (or that received it inbound). */
  phoneNumberId: string;
  mimeType: string;
  /** Hex SHA-256 of the bytes, as GET /{media-id} shows it (inbound webhooks carry it in base64). */
  sha256: string;
  fileSize: number;
  data: Buffer;
  filename?: string;
  origin: 'upload' | 'inbound';
  createdAt: number;
  /** Uploads live 30 days, inbound media 7 days (reference §1.2). */
  expiresAt: number;
}
