/** What `switchboard dev` prints once everything is up: URLs, credentials and a curl that sends the template. */
import type { DemoFile } from './demo-file.js';

export function sendTemplateCurl(demo: DemoFile): string {
  const body = {
    messaging_product: 'whatsapp',
    to: demo.consumer_wa_id,
    type: 'template',
    template: {
      name: demo.template.name,
      language: { code: demo.template.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'SB-1001' }] }],
    },
  };
  return [
    `curl -sS -X POST '${demo.platform_url}/v23.0/${demo.phone_number_id}/messages' \\`,
    `  -H 'Authorization: Bearer ${demo.api_key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${JSON.stringify(body)}'`,
  ].join('\n');
}

export function demoBanner(demo: DemoFile, demoPath: string): string {
  return [
    '',
    'Switchboard is running.',
    '',
    `  platform          ${demo.platform_url}`,
    `  emulator (Meta)   ${demo.emulator_url}`,
    `  tenant API key    ${demo.api_key}`,
    `  webhook secret    ${demo.webhook_secret}`,
    `  operator key      ${demo.operator_key}`,
    `  WABA              ${demo.waba_id}`,
    `  phone number id   ${demo.phone_number_id} (${demo.emulator.display_phone_number})`,
    `  template          ${demo.template.name} (${demo.template.language})`,
    `  consumer wa_id    ${demo.consumer_wa_id} (replies automatically)`,
    `  tenant webhook    ${demo.webhook_receiver_url} (events are printed below as they arrive)`,
    '',
    'Send the demo template to the simulated consumer:',
    '',
    sendTemplateCurl(demo),
    '',
    `The same as JSON: ${demoPath}`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}
