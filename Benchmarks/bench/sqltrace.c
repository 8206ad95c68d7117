/* sqltrace: an LD_PRELOAD shim that logs every SQL statement vibe-ensemble runs, and its fsyncs.
 *
 * It is how the statements the raw-SQLite ceiling of bench/queue.py replays were captured.
 * Build and run (the server links the system libsqlite3 dynamically):
 *   gcc -shared -fPIC -O2 -o /tmp/sqltrace.so Benchmarks/bench/sqltrace.c -ldl
 *   SQLTRACE_LOG=/tmp/sql.log LD_PRELOAD=/tmp/sqltrace.so vibe-ensemble serve ...
 * Each line: monotonic ns, thread id, connection, then "SQL <expanded statement>", or with
 * SQLTRACE_PROFILE=1 "TIME <ns> <statement>" when a statement finishes (its run time), or
 * "FSYNC fd=<n> <path>" / "FDATASYNC …" (the calls SQLite's unix VFS makes).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static FILE *out;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void open_log(void) {
    if (out) return;
    const char *path = getenv("SQLTRACE_LOG");
    out = fopen(path ? path : "/tmp/sqltrace.log", "a");
    if (out) setvbuf(out, NULL, _IOLBF, 0);
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int on_trace(unsigned kind, void *context, void *p, void *x) {
    (void)context;
    if (kind == SQLITE_TRACE_PROFILE) {
        sqlite3_stmt *statement = p;
        pthread_mutex_lock(&lock);
        open_log();
        if (out) {
            const char *sql = sqlite3_sql(statement);
            fprintf(out, "%lld %ld %p TIME %lld ", now_ns(), syscall(SYS_gettid), (void *)sqlite3_db_handle(statement),
                    *(long long *)x);
            for (const char *c = sql ? sql : ""; *c; c++) fputc(*c == '\n' ? ' ' : *c, out);
            fputc('\n', out);
        }
        pthread_mutex_unlock(&lock);
        return 0;
    }
    if (kind != SQLITE_TRACE_STMT) return 0;
    sqlite3_stmt *statement = p;
    char *sql = sqlite3_expanded_sql(statement);
    pthread_mutex_lock(&lock);
    open_log();
    if (out) {
        /* One statement per line. */
        for (char *c = sql; c && *c; c++) if (*c == '\n') *c = ' ';
        fprintf(out, "%lld %ld %p SQL %s\n", now_ns(), syscall(SYS_gettid), (void *)sqlite3_db_handle(statement),
                sql ? sql : sqlite3_sql(statement));
    }
    pthread_mutex_unlock(&lock);
    sqlite3_free(sql);
    return 0;
}

int sqlite3_open_v2(const char *name, sqlite3 **db, int flags, const char *vfs) {
    static int (*real)(const char *, sqlite3 **, int, const char *);
    if (!real) real = dlsym(RTLD_NEXT, "sqlite3_open_v2");
    int rc = real(name, db, flags, vfs);
    const char *profile = getenv("SQLTRACE_PROFILE");
    unsigned mask = SQLITE_TRACE_STMT | (profile && *profile == '1' ? SQLITE_TRACE_PROFILE : 0);
    if (rc == SQLITE_OK && *db) sqlite3_trace_v2(*db, mask, on_trace, NULL);
    return rc;
}

static void log_sync(const char *what, int fd) {
    char link[64], path[512];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    pthread_mutex_lock(&lock);
    open_log();
    if (out) fprintf(out, "%lld %ld - %s fd=%d %s\n", now_ns(), syscall(SYS_gettid), what, fd, path);
    pthread_mutex_unlock(&lock);
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = dlsym(RTLD_NEXT, "fsync");
    log_sync("FSYNC", fd);
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = dlsym(RTLD_NEXT, "fdatasync");
    log_sync("FDATASYNC", fd);
    return real(fd);
}
