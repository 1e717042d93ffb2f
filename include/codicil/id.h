/* id.h — record ids that are short, collision resistant and sort by time:
 * a prefix letter, '-', then 10 Crockford base32 digits of milliseconds
 * since the epoch and 8 of random bits (e.g. c-01jd3k5w9r7qz4x2mb). */
#ifndef CODICIL_ID_H
#define CODICIL_ID_H

#define CD_ID_SIZE 24

/* prefix: 'c' case, 'p' proposal, 't' theory, 'r' run. */
void cd_id_new(char prefix, char out[CD_ID_SIZE]);
/* 1 when s looks like an id codicil made (any prefix). */
int cd_id_valid(const char *s);

#endif
