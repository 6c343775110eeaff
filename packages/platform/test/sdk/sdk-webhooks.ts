/**
 * A tenant's webhook endpoint built the way an app on the SDKs builds it, and each SDK's verifier:
 * the same helpers the emulator's compatibility tests use (the platform's tenant webhooks must
 * satisfy them exactly as Meta's do).
 */
export { changeValues, startSdkReceiver, type ReceivedPost, type SdkReceiver } from '../../../emulator/test/support/sdk-receiver.js';
export { messagesSeenByWhatsappApiJs, verifyWithEverySdk, type VerifierName } from '../../../emulator/test/support/sdk-verifiers.js';
