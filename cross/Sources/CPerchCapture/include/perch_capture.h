// CPerchCapture: a minimal libv4l2 mmap capture loop for the Embedded ARM VM test (cross/vm-capture.sh).
//
// PerchCapture's own V4L2 layer is built on swift-system, which needs Glibc and so has no Embedded build; this
// C file does the same ioctls (S_FMT, S_PARM, REQBUFS, QBUF/DQBUF, STREAMON) for the cross-built test program.
#ifndef PERCH_CAPTURE_H
#define PERCH_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/// An open, streaming capture device.
typedef struct perch_capture perch_capture;

/// The format the driver granted.
typedef struct perch_capture_format {
    uint32_t fourcc;
    uint32_t width;
    uint32_t height;
    uint32_t bytes_per_line;
    uint32_t size_image;
} perch_capture_format;

/// Opens `path` with libv4l2, sets `fourcc` at width x height, 1/fps, optionally switches vivid's
/// "OSD Text Mode" control to 2 (no text: identical frames), maps 4 buffers and starts streaming.
/// Returns 0 or an errno; `*step` names the call that failed.
int perch_capture_open(const char *path, uint32_t fourcc, uint32_t width, uint32_t height, uint32_t fps,
                       int osd_off, perch_capture **capture, perch_capture_format *granted, const char **step);

/// Waits for the next frame (DQBUF). `*data` stays valid until the next call or close. Returns 0 or an errno.
int perch_capture_next(perch_capture *capture, const uint8_t **data, size_t *count, uint32_t *sequence);

/// Stops streaming, unmaps and closes.
void perch_capture_close(perch_capture *capture);

#endif
