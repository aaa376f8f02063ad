// The system's zlib, and the few zstd types the tool needs: libzstd itself is loaded at run time
// (dlopen), so that building needs no zstd headers.
#ifndef CCOMPRESSION_SHIM_H
#define CCOMPRESSION_SHIM_H

#include <stddef.h>
#include <zlib.h>

// zlib's init functions are macros, which Swift cannot call.
static inline int ccompression_inflate_init_gzip(z_stream *stream) {
    // 15 window bits + 16: a gzip header and trailer, nothing else.
    return inflateInit2(stream, 15 + 16);
}

static inline int ccompression_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

// ZSTD_inBuffer and ZSTD_outBuffer, as zstd.h declares them (stable since zstd 1.0).
typedef struct {
    const void *src;
    size_t size;
    size_t pos;
} ccompression_zstd_in_buffer;

typedef struct {
    void *dst;
    size_t size;
    size_t pos;
} ccompression_zstd_out_buffer;

#endif
