/*
 * The floor for `chatctl validate`: read every *.yaml and *.yml file below the given
 * folders (or the given files) and run libyaml's event parser over each to the end of the
 * stream, building nothing. Files are shared out to one thread per online core through an
 * atomic counter, as chatctl's `parallelMap` (DispatchQueue.concurrentPerform) shares
 * files out to its worker threads; the folder walk, like chatctl's discovery, runs first
 * on one thread.
 *
 * Prints the number of files, documents and events to standard output; exits 1 if a file
 * cannot be read or does not parse.
 *
 * Build: cc -O2 -o yaml-parse-floor yaml-parse-floor.c $(pkg-config --cflags --libs yaml-0.1) -lpthread
 * Used by scripts/bench-peers-validate.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

static char **paths;
static size_t path_count, path_capacity;
static atomic_size_t next_path;

struct totals {
    unsigned long documents, events, failures;
};

static int has_yaml_extension(const char *path) {
    size_t length = strlen(path);
    return (length > 5 && strcmp(path + length - 5, ".yaml") == 0)
        || (length > 4 && strcmp(path + length - 4, ".yml") == 0);
}

static void add_path(const char *path) {
    if (path_count == path_capacity) {
        path_capacity = path_capacity ? path_capacity * 2 : 1024;
        paths = realloc(paths, path_capacity * sizeof *paths);
        if (!paths) { perror("realloc"); exit(2); }
    }
    paths[path_count++] = strdup(path);
}

static int visit(const char *path, const struct stat *info, int type, struct FTW *ftw) {
    (void)info; (void)ftw;
    if (type == FTW_F && has_yaml_extension(path)) add_path(path);
    return 0;
}

/* Reads the whole file (as chatctl does) and parses it from memory. */
static int parse_file(const char *path, struct totals *totals) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); return -1; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    unsigned char *bytes = malloc(size > 0 ? (size_t)size : 1);
    if (!bytes || fread(bytes, 1, (size_t)size, file) != (size_t)size) {
        fclose(file); free(bytes); perror(path); return -1;
    }
    fclose(file);

    yaml_parser_t parser;
    yaml_event_t event;
    int status = 0, done = 0;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, bytes, (size_t)size);
    while (!done) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%zu:%zu: %s\n", path, parser.problem_mark.line + 1,
                    parser.problem_mark.column + 1, parser.problem ? parser.problem : "parse error");
            status = -1;
            break;
        }
        totals->events++;
        if (event.type == YAML_DOCUMENT_START_EVENT) totals->documents++;
        done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    free(bytes);
    return status;
}

static void *worker(void *argument) {
    struct totals *totals = argument;
    for (;;) {
        size_t index = atomic_fetch_add(&next_path, 1);
        if (index >= path_count) break;
        if (parse_file(paths[index], totals) != 0) totals->failures++;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FOLDER_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat info;
        if (stat(argv[i], &info) != 0) { perror(argv[i]); return 1; }
        if (S_ISDIR(info.st_mode)) nftw(argv[i], visit, 32, FTW_PHYS);
        else add_path(argv[i]);
    }

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t thread_count = cores > 0 ? (size_t)cores : 1;
    if (thread_count > path_count) thread_count = path_count ? path_count : 1;
    pthread_t *threads = calloc(thread_count, sizeof *threads);
    struct totals *totals = calloc(thread_count, sizeof *totals);
    for (size_t t = 0; t < thread_count; t++) pthread_create(&threads[t], NULL, worker, &totals[t]);

    struct totals sum = {0, 0, 0};
    for (size_t t = 0; t < thread_count; t++) {
        pthread_join(threads[t], NULL);
        sum.documents += totals[t].documents;
        sum.events += totals[t].events;
        sum.failures += totals[t].failures;
    }
    printf("%zu files, %lu documents, %lu events, %zu threads\n", path_count, sum.documents, sum.events,
           thread_count);
    return sum.failures ? 1 : 0;
}
