/** An uploaded or inbound media object (owned by the media module). */
export interface Media {
  id: string;
  /** Phone number that uploaded it (or that received it inbound). */
  phoneNumberId: string;
  mimeType: string;
  sha256: string;
  fileSize: number;
  data: Buffer;
  filename?: string;
  createdAt: number;
  expiresAt: number;
}
