/* autonomy.h — when a proposal may be accepted without a human
 * (`codicil loop --autonomy auto-meta`), and what `verify` checks of such
 * an acceptance.
 *
 * META.md permits it with a rule (a principle without sub-principles)
 * whose attribute block says autonomy=auto-meta, for example
 *
 *     ## Automatic amendment {#auto-amend autonomy=auto-meta}
 *     An amendment may be accepted without a reviewer when it passes every
 *     other rule here and no case gets worse; a person ratifies or reverts
 *     it afterwards.
 *
 * Such a proposal must pass every rule of its meta-check (no fail, no
 * unclear; at least one rule checked), and its regression must break no
 * case and make no verdict worse.  The commit carries
 * Codicil-Autonomy: auto-meta, the proposal decision.autonomy "auto-meta";
 * `codicil ratify P` records a person's confirmation, `codicil revert P`
 * undoes it. */
#ifndef CODICIL_AUTONOMY_H
#define CODICIL_AUTONOMY_H

#include <cJSON.h>

#include "codicil/buf.h"
#include "codicil/store.h"

#define AUTONOMY_AUTO_META "auto-meta"

/* The id of the META.md rule at rev that permits automatic amendment into
 * rule: 1, or 0 when none does (or there is no META.md), -1 on error. */
int autonomy_meta_rule(store *s, const char *rev, cd_buf *rule);

/* 1 when proposal p may be accepted automatically; else 0 with why
 * ("the meta-check fails rules a, b", "makes 2 verdicts worse", ...). */
int autonomy_passes(const cJSON *p, cd_buf *why);

#endif
