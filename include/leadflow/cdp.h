/*
 * cdp.h - messages of a customer data platform (the Segment / RudderStack
 * specification: track, page, screen, identify, group, alias) written as
 * leadflow's leads and events, inside a write session (import.h).
 *
 * - userId is the lead's external id; an identify's traits (and any call's
 *   context.traits.email) its email and fields; a lead is made when first
 *   named, its source and campaign from the call's context.campaign.
 * - anonymousId: a call that carries it beside userId (or an identify that
 *   names an email) links it to the lead; alias links previousId. A call
 *   of an anonymous id not linked yet is held as it came and written once
 *   the id is linked, in the order received.
 * - track is an event of type `event` (the name as sent), page a
 *   page_view, screen a screen_view, with the call's properties (and, from
 *   context.campaign, utm_source and utm_campaign: a touch); group sets
 *   the lead's company (traits.name, else groupId), industry and employees.
 * - messageId is the event's id: a retry changes nothing. A call without
 *   one gets an id derived from its content.
 * - the time: timestamp (else originalTimestamp) corrected for the
 *   sender's clock by sentAt: received - (sentAt - timestamp); the time
 *   received when the call has none.
 */
#ifndef LEADFLOW_CDP_H
#define LEADFLOW_CDP_H

#include <leadflow/import.h>

/* The specification's limits: a call, and a batch, in bytes. */
#define LF_CDP_CALL_MAX 32768
#define LF_CDP_BATCH_MAX 512000

/* What a call did. */
enum lf_cdp_outcome { LF_CDP_TAKEN, LF_CDP_UNCHANGED, LF_CDP_HELD };

/*
 * Writes one call (a JSON object, jansson's json_t, borrowed: it may be
 * changed) of type (NULL: its own "type" member) received at received;
 * sent_at is the batch's sentAt (NULL: the call's own). *lead gets the lead
 * it was written to (0 when held). LF_ERR_INPUT naming the member at fault
 * for a call the specification refuses; on any error nothing of the call
 * is written.
 */
enum lf_result lf_cdp_write(struct lf_ingest *in, struct lf_store *s, void *call,
			    const char *type, const char *sent_at, lf_time_ms received,
			    enum lf_cdp_outcome *outcome, int64_t *lead, struct lf_error *err);

#endif
