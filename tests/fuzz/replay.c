/* replay.c: a main() for a fuzz target built without libFuzzer. Runs each
 * file named on the command line (or each file in a named directory)
 * through LLVMFuzzerTestOneInput once, so the corpus and the kept crashers
 * are regression tests under any compiler and sanitizer. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fuzz.h"

static int replay_file(const char *path)
{
    jp_buf data = {0};
    if (jp_buf_read_file(&data, path) < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        jp_buf_free(&data);
        return -1;
    }
    /* A copy of exactly the file's size, so ASan sees any read past it. */
    uint8_t *copy = malloc(data.len ? data.len : 1);
    if (data.len)
        memcpy(copy, data.data, data.len);
    LLVMFuzzerTestOneInput(copy, data.len);
    free(copy);
    jp_buf_free(&data);
    return 0;
}

static int replay_path(const char *path, int *count)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ++*count;
        return replay_file(path);
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char *child = jp_xmalloc(strlen(path) + strlen(names[i]->d_name) + 2);
            sprintf(child, "%s/%s", path, names[i]->d_name);
            if (replay_path(child, count) < 0)
                rc = -1;
            free(child);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0, count = 0;
    for (int i = 1; i < argc; i++)
        if (replay_path(argv[i], &count) < 0)
            rc = 1;
    printf("replayed %d inputs\n", count);
    return rc;
}
