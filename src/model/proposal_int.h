/* proposal_int.h — what the proposal files of src/model/ share. */
#ifndef CODICIL_MODEL_PROPOSAL_INT_H
#define CODICIL_MODEL_PROPOSAL_INT_H

#include <cJSON.h>
#include <stddef.h>

#include "codicil/case.h"
#include "record.h"

/* 1 when s is n lowercase hex digits. */
int proposal__is_hex(const char *s, size_t n);
/* The op name of a charter edit kind, NULL when unknown. */
const char *proposal__op_name(int kind);
int proposal__op_parse(const char *s);

#endif
