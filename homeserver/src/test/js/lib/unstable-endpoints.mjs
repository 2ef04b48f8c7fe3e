// Endpoints Myelin serves that the v1.19 spec does not define yet, each with a JSON schema of its 200 answer
// written from its proposal, so the validating fetch checks them like spec endpoints (lib/spec.mjs). Their
// errors must be standard errors, as everywhere.

const nonNegative = { type: "integer", minimum: 0 };
const strings = { type: "array", items: { type: "string" } };

/** A ClientEventWithoutRoomID, as /sync's timelines carry them. */
const clientEvent = {
    type: "object",
    required: ["event_id", "type", "sender", "origin_server_ts", "content"],
    properties: {
        event_id: { type: "string", pattern: "^\\$" },
        type: { type: "string" },
        sender: { type: "string", pattern: "^@" },
        origin_server_ts: { type: "integer" },
        content: { type: "object" },
        state_key: { type: "string" },
        unsigned: { type: "object" },
    },
    not: { required: ["room_id"] },
};
const stateEvent = { ...clientEvent, required: [...clientEvent.required, "state_key"] };
const strippedEvent = {
    type: "object",
    required: ["type", "state_key", "sender", "content"],
    properties: { type: { type: "string" }, state_key: { type: "string" }, sender: { type: "string" },
        content: { type: "object" } },
};
const byRoom = (schema) => ({ type: "object", propertyNames: { pattern: "^!" }, additionalProperties: schema });

/** MSC4186 (simplified sliding sync) as Synapse answers it, with the fields this server sends. */
const slidingSyncResponse = {
    $id: "https://myelin.invalid/unstable/simplified-msc3575-sync.json",
    type: "object",
    required: ["pos", "lists", "rooms", "extensions"],
    additionalProperties: false,
    properties: {
        pos: { type: "string", minLength: 1 },
        lists: {
            type: "object",
            additionalProperties: {
                type: "object",
                required: ["count"],
                additionalProperties: false,
                properties: {
                    count: nonNegative,
                    ops: {
                        type: "array",
                        items: {
                            type: "object",
                            required: ["op", "range", "room_ids"],
                            additionalProperties: false,
                            properties: {
                                op: { const: "SYNC" },
                                range: { type: "array", items: nonNegative, minItems: 2, maxItems: 2 },
                                room_ids: strings,
                            },
                        },
                    },
                },
            },
        },
        rooms: byRoom({
            type: "object",
            additionalProperties: false,
            properties: {
                name: { type: "string" },
                avatar: { type: "string" },
                heroes: {
                    type: "array",
                    items: {
                        type: "object",
                        required: ["user_id"],
                        additionalProperties: false,
                        properties: { user_id: { type: "string" }, displayname: { type: "string" },
                            avatar_url: { type: "string" } },
                    },
                },
                initial: { type: "boolean" },
                unstable_expanded_timeline: { type: "boolean" },
                required_state: { type: "array", items: stateEvent },
                timeline: { type: "array", items: clientEvent },
                prev_batch: { type: "string" },
                limited: { type: "boolean" },
                num_live: nonNegative,
                joined_count: nonNegative,
                invited_count: nonNegative,
                notification_count: nonNegative,
                highlight_count: nonNegative,
                bump_stamp: nonNegative,
                is_dm: { type: "boolean" },
                invite_state: { type: "array", items: strippedEvent },
            },
        }),
        extensions: {
            type: "object",
            additionalProperties: false,
            properties: {
                to_device: {
                    type: "object",
                    required: ["next_batch", "events"],
                    additionalProperties: false,
                    properties: {
                        next_batch: { type: "string", pattern: "^\\d+$" },
                        events: { type: "array", items: { type: "object", required: ["type", "sender", "content"] } },
                    },
                },
                e2ee: {
                    type: "object",
                    required: ["device_one_time_keys_count", "device_unused_fallback_key_types"],
                    additionalProperties: false,
                    properties: {
                        device_lists: {
                            type: "object",
                            required: ["changed", "left"],
                            additionalProperties: false,
                            properties: { changed: strings, left: strings },
                        },
                        device_one_time_keys_count: { type: "object", additionalProperties: nonNegative },
                        device_unused_fallback_key_types: strings,
                    },
                },
                account_data: {
                    type: "object",
                    required: ["global", "rooms"],
                    additionalProperties: false,
                    properties: {
                        global: { type: "array", items: { type: "object", required: ["type", "content"] } },
                        rooms: byRoom({ type: "array", items: { type: "object", required: ["type", "content"] } }),
                    },
                },
                receipts: {
                    type: "object",
                    required: ["rooms"],
                    properties: { rooms: byRoom({ type: "object", required: ["type", "content"],
                        properties: { type: { const: "m.receipt" } } }) },
                },
                typing: {
                    type: "object",
                    required: ["rooms"],
                    properties: { rooms: byRoom({ type: "object", required: ["type", "content"],
                        properties: { type: { const: "m.typing" } } }) },
                },
            },
        },
    },
};

/** The unstable endpoints: method, path pattern, a name for reports, and the schema of their 200 body. */
export const UNSTABLE_ENDPOINTS = [
    {
        method: "POST",
        regex: /^\/_matrix\/client\/unstable\/org\.matrix\.simplified_msc3575\/sync$/,
        operationId: "msc4186SlidingSync",
        schema: slidingSyncResponse,
    },
];
