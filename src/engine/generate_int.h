/* generate_int.h — what generate.c asks of generate_kinds.c. */
#ifndef CODICIL_GENERATE_INT_H
#define CODICIL_GENERATE_INT_H

#include "codicil/generate.h"

/* Copy the fields the unit's kind adds (schemas.h: demands; term and
 * readings; accounts) from a reply item into case c, and check them and
 * the targets: a tension, vagueness or probe case asked about target
 * principles must involve one of them.  -1 with one line in cd_err when
 * the case should be dropped as invalid. */
int gen_kind_fields(const gen_unit *u, const cJSON *item, cJSON *c);

/* 0 when a reply item makes a valid case for the unit; -1 with the first
 * problem in cd_err. */
int gen_item_problem(gen_ctx *g, const gen_unit *u, const cJSON *item);

/* Point u's check (generate_check.c) at g and u. */
void gen_unit_check(gen_ctx *g, gen_unit *u);

#endif
