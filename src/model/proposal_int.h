/* proposal_int.h — what the proposal files of src/model/ share. */
#ifndef CODICIL_MODEL_PROPOSAL_INT_H
#define CODICIL_MODEL_PROPOSAL_INT_H

#include <cJSON.h>
#include <stddef.h>

#define PROPOSAL_TIME_SIZE 21

/* Move the keys of order (NULL-terminated) to the front of obj in that
 * order; other keys follow in their original order.  obj may be anything. */
void proposal__reorder(cJSON *obj, const char *const *order);
/* "2024-05-01T12:34:56Z", now. */
void proposal__time_now(char out[PROPOSAL_TIME_SIZE]);
/* 1 when s is n lowercase hex digits. */
int proposal__is_hex(const char *s, size_t n);
/* The op name of a charter edit kind, NULL when unknown. */
const char *proposal__op_name(int kind);
int proposal__op_parse(const char *s);

#endif
