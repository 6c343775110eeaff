/**
 * The rules of interactive messages that a schema cannot state: which header and action each
 * subtype takes, unique button titles and ids, at most ten rows across all list sections, section
 * titles once there are several, exactly one of flow_id / flow_name (reference §1.1.1).
 */
import { checkSchema, requiredError, valueError } from './check-schema.js';
import {
  CallPermissionAction,
  CtaUrlAction,
  FlowAction,
  ListAction,
  LocationRequestAction,
  ReplyButtonsAction,
  SEND_LIMITS,
  type InteractiveContent,
} from './send-schemas.js';
import type { Static } from '@sinclair/typebox';
import { checkMediaReference, isHttpUrl } from './media-reference.js';

const P = 'interactive';

export function checkInteractive(interactive: InteractiveContent): void {
  const type = interactive.type;
  if (type === 'product' || type === 'product_list' || type === 'catalog_message') {
    throw valueError(`Interactive ${type} messages need a product catalog connected to the WhatsApp Business Account; none is connected.`);
  }
  if (!interactive.body) throw requiredError(`${P}['body']`);
  checkHeader(interactive);

  const action = interactive.action;
  const actionPath = `${P}['action']`;
  switch (type) {
    case 'button':
      checkSchema(ReplyButtonsAction, action, actionPath);
      checkReplyButtons(action as Static<typeof ReplyButtonsAction>);
      return;
    case 'list':
      checkSchema(ListAction, action, actionPath);
      checkList(action as Static<typeof ListAction>);
      return;
    case 'cta_url': {
      checkSchema(CtaUrlAction, action, actionPath);
      const { url } = (action as Static<typeof CtaUrlAction>).parameters;
      if (!isHttpUrl(url)) throw valueError(`Param ${actionPath}['parameters']['url'] must be a valid URL starting with http:// or https://.`);
      return;
    }
    case 'flow': {
      checkSchema(FlowAction, action, actionPath);
      const { flow_id: id, flow_name: name } = (action as Static<typeof FlowAction>).parameters;
      if (id === undefined && name === undefined) throw requiredError(`${actionPath}['parameters']['flow_id']`);
      if (id !== undefined && name !== undefined) {
        throw valueError(`Params ${actionPath}['parameters']['flow_id'] and ['flow_name'] cannot be used together.`);
      }
      return;
    }
    case 'location_request_message':
      checkSchema(LocationRequestAction, action, actionPath);
      return;
    case 'call_permission_request':
      checkSchema(CallPermissionAction, action, actionPath);
      return;
  }
}

function checkHeader(interactive: InteractiveContent): void {
  const header = interactive.header;
  if (!header) return;
  const path = `${P}['header']`;
  if (interactive.type === 'location_request_message' || interactive.type === 'call_permission_request') {
    throw valueError(`Param ${path} is not supported for interactive ${interactive.type} messages.`);
  }
  if (interactive.type === 'list' && header.type !== 'text') {
    throw valueError(`Param ${path}['type'] must be text for interactive list messages.`);
  }
  if (header.type === 'text') {
    if (!header.text) throw requiredError(`${path}['text']`);
    return;
  }
  const media = header[header.type];
  if (!media) throw requiredError(`${path}['${header.type}']`);
  checkMediaReference(media, `${path}['${header.type}']`);
}

function checkReplyButtons(action: Static<typeof ReplyButtonsAction>): void {
  const ids = new Set<string>();
  const titles = new Set<string>();
  action.buttons.forEach(({ reply }, i) => {
    const path = `${P}['action']['buttons'][${i}]['reply']`;
    if (reply.id.trim() !== reply.id) throw valueError(`Param ${path}['id'] cannot have leading or trailing spaces.`);
    if (ids.has(reply.id)) throw valueError(`Param ${path}['id'] must be unique among the buttons.`);
    if (titles.has(reply.title)) throw valueError(`Param ${path}['title'] must be unique among the buttons.`);
    ids.add(reply.id);
    titles.add(reply.title);
  });
}

function checkList(action: Static<typeof ListAction>): void {
  let rows = 0;
  const ids = new Set<string>();
  action.sections.forEach((section, i) => {
    const path = `${P}['action']['sections'][${i}]`;
    if (action.sections.length > 1 && !section.title) throw requiredError(`${path}['title']`);
    section.rows.forEach((row, j) => {
      if (ids.has(row.id)) throw valueError(`Param ${path}['rows'][${j}]['id'] must be unique across all rows.`);
      ids.add(row.id);
    });
    rows += section.rows.length;
  });
  if (rows > SEND_LIMITS.listRowsTotal) {
    throw valueError(`Param ${P}['action']['sections'] can have at most ${SEND_LIMITS.listRowsTotal} rows in total; ${rows} given.`);
  }
}
