#include "perch_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PERCH_CAPTURE_BUFFERS 4

struct perch_capture {
    int fd;
    int queued_index;  // the buffer lent out by the last perch_capture_next, -1 if none
    unsigned count;
    void *start[PERCH_CAPTURE_BUFFERS];
    size_t length[PERCH_CAPTURE_BUFFERS];
};

static int xioctl(int fd, unsigned long request, void *arg) {
    int r;
    do {
        r = v4l2_ioctl(fd, request, arg);
    } while (r == -1 && errno == EINTR);
    return r;
}

static int set_osd_off(int fd) {
    struct v4l2_queryctrl query;
    memset(&query, 0, sizeof query);
    query.id = V4L2_CTRL_FLAG_NEXT_CTRL;
    while (xioctl(fd, VIDIOC_QUERYCTRL, &query) == 0) {
        if (strcmp((const char *)query.name, "OSD Text Mode") == 0) {
            struct v4l2_control control = {.id = query.id, .value = 2};
            return xioctl(fd, VIDIOC_S_CTRL, &control) == 0 ? 0 : errno;
        }
        query.id |= V4L2_CTRL_FLAG_NEXT_CTRL;
    }
    return ENOENT;
}

int perch_capture_open(const char *path, uint32_t fourcc, uint32_t width, uint32_t height, uint32_t fps,
                       int osd_off, perch_capture **capture, perch_capture_format *granted, const char **step) {
    *capture = NULL;
    *step = "open";
    int fd = v4l2_open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) return errno;
    perch_capture *c = calloc(1, sizeof *c);
    if (c == NULL) {
        v4l2_close(fd);
        return ENOMEM;
    }
    c->fd = fd;
    c->queued_index = -1;
    int e = 0;

    struct v4l2_format format;
    memset(&format, 0, sizeof format);
    format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    format.fmt.pix.width = width;
    format.fmt.pix.height = height;
    format.fmt.pix.pixelformat = fourcc;
    format.fmt.pix.field = V4L2_FIELD_NONE;
    *step = "VIDIOC_S_FMT";
    if (xioctl(fd, VIDIOC_S_FMT, &format) != 0) goto fail;
    granted->fourcc = format.fmt.pix.pixelformat;
    granted->width = format.fmt.pix.width;
    granted->height = format.fmt.pix.height;
    granted->bytes_per_line = format.fmt.pix.bytesperline;
    granted->size_image = format.fmt.pix.sizeimage;

    // vivid's default interval is 1/5 s: ask for the rate we want.
    struct v4l2_streamparm parm;
    memset(&parm, 0, sizeof parm);
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    parm.parm.capture.timeperframe.numerator = 1;
    parm.parm.capture.timeperframe.denominator = fps;
    *step = "VIDIOC_S_PARM";
    if (xioctl(fd, VIDIOC_S_PARM, &parm) != 0) goto fail;

    if (osd_off) {
        *step = "OSD Text Mode";
        if ((e = set_osd_off(fd)) != 0) goto fail_errno;
    }

    struct v4l2_requestbuffers request;
    memset(&request, 0, sizeof request);
    request.count = PERCH_CAPTURE_BUFFERS;
    request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    request.memory = V4L2_MEMORY_MMAP;
    *step = "VIDIOC_REQBUFS";
    if (xioctl(fd, VIDIOC_REQBUFS, &request) != 0) goto fail;
    c->count = request.count < PERCH_CAPTURE_BUFFERS ? request.count : PERCH_CAPTURE_BUFFERS;
    for (unsigned i = 0; i < c->count; i++) {
        struct v4l2_buffer buffer;
        memset(&buffer, 0, sizeof buffer);
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buffer.memory = V4L2_MEMORY_MMAP;
        buffer.index = i;
        *step = "VIDIOC_QUERYBUF";
        if (xioctl(fd, VIDIOC_QUERYBUF, &buffer) != 0) goto fail;
        *step = "mmap";
        c->start[i] = v4l2_mmap(NULL, buffer.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, buffer.m.offset);
        if (c->start[i] == MAP_FAILED) {
            c->start[i] = NULL;
            goto fail;
        }
        c->length[i] = buffer.length;
        *step = "VIDIOC_QBUF";
        if (xioctl(fd, VIDIOC_QBUF, &buffer) != 0) goto fail;
    }
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    *step = "VIDIOC_STREAMON";
    if (xioctl(fd, VIDIOC_STREAMON, &type) != 0) goto fail;
    *capture = c;
    return 0;

fail:
    e = errno;
fail_errno:
    perch_capture_close(c);
    return e;
}

int perch_capture_next(perch_capture *c, const uint8_t **data, size_t *count, uint32_t *sequence) {
    struct v4l2_buffer buffer;
    if (c->queued_index >= 0) {
        memset(&buffer, 0, sizeof buffer);
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buffer.memory = V4L2_MEMORY_MMAP;
        buffer.index = (unsigned)c->queued_index;
        c->queued_index = -1;
        if (xioctl(c->fd, VIDIOC_QBUF, &buffer) != 0) return errno;
    }
    memset(&buffer, 0, sizeof buffer);
    buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buffer.memory = V4L2_MEMORY_MMAP;
    if (xioctl(c->fd, VIDIOC_DQBUF, &buffer) != 0) return errno;
    if (buffer.index >= c->count) return EIO;
    c->queued_index = (int)buffer.index;
    *data = c->start[buffer.index];
    *count = buffer.bytesused;
    *sequence = buffer.sequence;
    return 0;
}

void perch_capture_close(perch_capture *c) {
    if (c == NULL) return;
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(c->fd, VIDIOC_STREAMOFF, &type);
    for (unsigned i = 0; i < PERCH_CAPTURE_BUFFERS; i++) {
        if (c->start[i] != NULL) v4l2_munmap(c->start[i], c->length[i]);
    }
    v4l2_close(c->fd);
    free(c);
}
