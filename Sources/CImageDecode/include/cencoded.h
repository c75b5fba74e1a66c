// What CImageDecode's encoders (cjpegencode.h, cpngencode.h) hand back: the file's bytes or the
// library's message. One shape for both, so Swift reads and frees it in one place (CEncoded.swift).
#ifndef CENCODED_H
#define CENCODED_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    /// The encoded file (malloc'd), or NULL when encoding failed.
    uint8_t *bytes;
    size_t size;
    /// Why encoding failed ("" on success).
    char message[200];
} cl_encoded;

/// Releases `bytes`; safe on a zeroed or already freed struct.
void cl_encoded_free(cl_encoded *encoded);

#endif
