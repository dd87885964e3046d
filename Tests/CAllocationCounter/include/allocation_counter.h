#ifndef PERCH_ALLOCATION_COUNTER_H
#define PERCH_ALLOCATION_COUNTER_H

// Test-only: counts heap allocations made by the calling thread.
//
// Linking this target into the test executable interposes malloc, calloc, realloc, posix_memalign,
// aligned_alloc and memalign for the whole process (an executable's definitions take precedence over
// libc's for every shared library); each forwards to glibc's __libc_* entry points. Counting is
// per-thread so tests running in parallel on other threads do not disturb a measurement.

/// Starts counting this thread's allocations from zero.
void perch_allocation_counter_start(void);
/// Stops counting and returns how many allocations this thread made since the start.
long perch_allocation_counter_stop(void);

#endif
