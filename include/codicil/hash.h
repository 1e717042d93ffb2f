/* hash.h — sha256 through OpenSSL's libcrypto, as lowercase hex; sha1
 * where a git format asks for it. */
#ifndef CODICIL_HASH_H
#define CODICIL_HASH_H

#include <stddef.h>

#define CD_SHA256_HEX 65 /* 64 hex digits and a NUL */

void cd_sha256_hex(const void *data, size_t len, char out[CD_SHA256_HEX]);

#define CD_SHA1_RAW 20
/* The 20 bytes of data's sha1 (a packfile's trailer, say). */
void cd_sha1_raw(const void *data, size_t len, unsigned char out[CD_SHA1_RAW]);

/* Incremental hashing of several parts; each part is length-prefixed so
 * that ("ab","c") and ("a","bc") hash differently. */
typedef struct cd_sha256 cd_sha256;
cd_sha256 *cd_sha256_new(void);
void cd_sha256_part(cd_sha256 *h, const void *data, size_t len);
void cd_sha256_part_str(cd_sha256 *h, const char *s); /* NULL hashes as "" */
/* Bytes as they come, without a prefix: the sha256 of a file read in
 * chunks is sha256sum's. */
void cd_sha256_bytes(cd_sha256 *h, const void *data, size_t len);
void cd_sha256_finish(cd_sha256 *h, char out[CD_SHA256_HEX]); /* frees h */

#endif
