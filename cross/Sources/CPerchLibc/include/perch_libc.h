// CPerchLibc: the few libc calls the Embedded ARM programs need, with plain C signatures.
//
// Embedded Swift for the `*-none-*` targets has no Glibc module, so files, exit status and stdout flushing
// go through these functions (Swift calls them like any imported C function).
#ifndef PERCH_LIBC_H
#define PERCH_LIBC_H

#include <stddef.h>
#include <stdint.h>

/// Reads the whole file at `path` into a malloc'd buffer (`*bytes`, free with `perch_free`), length in `*count`.
/// Returns 0, or the `errno` of the failing call.
int perch_read_file(const char *path, uint8_t **bytes, size_t *count);

/// Writes `count` bytes to `path` (created or truncated, mode 0644). Returns 0 or an `errno`.
int perch_write_file(const char *path, const uint8_t *bytes, size_t count);

/// Whether `path` exists.
int perch_file_exists(const char *path);

/// Frees a buffer from `perch_read_file`.
void perch_free(void *pointer);

/// Flushes stdout and ends the process with `status` (Embedded traps lose buffered output: flush first).
void perch_exit(int status) __attribute__((noreturn));

/// Flushes stdout.
void perch_flush(void);

/// The process's arguments (argv[0] included), saved by the C runtime before `main` runs.
int perch_argc(void);
/// Argument `index`, or NULL past the end.
const char *perch_argv(int index);

#endif
