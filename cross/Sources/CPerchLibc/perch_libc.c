#define _GNU_SOURCE  // strtod_l, newlocale

#include "perch_libc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int saved_argc;
static char **saved_argv;

// glibc passes (argc, argv, envp) to .init_array functions: the arguments without depending on how the
// Swift entry point is declared.
static void perch_save_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    saved_argc = argc;
    saved_argv = argv;
}
__attribute__((section(".init_array"), used)) static void (*perch_save_arguments_entry)(int, char **, char **) =
    perch_save_arguments;

int perch_argc(void) { return saved_argc; }

const char *perch_argv(int index) { return index >= 0 && index < saved_argc ? saved_argv[index] : NULL; }

int perch_read_file(const char *path, uint8_t **bytes, size_t *count) {
    *bytes = NULL;
    *count = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    struct stat info;
    if (fstat(fd, &info) != 0) {
        int e = errno;
        close(fd);
        return e;
    }
    size_t size = (size_t)info.st_size;
    uint8_t *buffer = malloc(size > 0 ? size : 1);
    if (buffer == NULL) {
        close(fd);
        return ENOMEM;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = read(fd, buffer + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            free(buffer);
            close(fd);
            return e;
        }
        done += (size_t)n;
    }
    close(fd);
    *bytes = buffer;
    *count = size;
    return 0;
}

int perch_write_file(const char *path, const uint8_t *bytes, size_t count) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    size_t done = 0;
    while (done < count) {
        ssize_t n = write(fd, bytes + done, count - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            return e;
        }
        done += (size_t)n;
    }
    return close(fd) == 0 ? 0 : errno;
}

int perch_file_exists(const char *path) { return access(path, F_OK) == 0; }

void perch_free(void *pointer) { free(pointer); }

void perch_flush(void) { fflush(stdout); }

void perch_exit(int status) {
    fflush(stdout);
    exit(status);
}

// MARK: - Swift runtime stub missing from Embedded Swift

#include <locale.h>
#include <math.h>

// `Double(String)` calls this runtime function; the Embedded stdlib declares it (RuntimeShims.h) but ships no
// implementation for the `*-none-*` targets. Same behaviour as the Swift runtime's (stdlib/public/stubs/Stubs.cpp):
// strtod in the C locale, NULL on overflow/underflow (ERANGE), else the end of the parsed text.
const char *_swift_stdlib_strtod_clocale(const char *nptr, double *outResult) {
    static locale_t c_locale;
    if (c_locale == (locale_t)0) c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    char *end;
    errno = 0;
    double result = strtod_l(nptr, &end, c_locale);
    *outResult = result;
    if ((result == HUGE_VAL || result == -HUGE_VAL || result == 0.0) && errno == ERANGE) return NULL;
    return end;
}
