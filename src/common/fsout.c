/*
 * fsout.c — temporary file, fsync, rename (fsout.h). Written by hand
 * because it is a dozen system calls whose order is the whole point.
 */
#include "common/fsout.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fg_fsout_protect_add(fg_fsout_protect *p, const char *path) {
  FG_ASSERT(p != NULL && p->n < FG_FSOUT_PROTECT_MAX);
  if (path != NULL) p->path[p->n++] = fg_xstrdup(path);
}

void fg_fsout_protect_store(fg_fsout_protect *p, const char *store_path) {
  static const char *const suffix[] = {"-wal", "-shm", "-journal", ".key", ".model"};
  fg_fsout_protect_add(p, store_path);
  for (size_t i = 0; i < FG_ARRAY_LEN(suffix); i++) {
    char name[FG_FSOUT_PATH_MAX + 16];
    snprintf(name, sizeof name, "%s%s", store_path, suffix[i]);
    fg_fsout_protect_add(p, name);
  }
}

void fg_fsout_protect_release(fg_fsout_protect *p) {
  for (int i = 0; i < p->n; i++) free(p->path[i]);
  p->n = 0;
}

/* The canonical name of path: its folder resolved (links, ..) plus its
 * last component, so a file that does not exist yet still compares. */
static bool fg_fsout_canon(const char *path, char out[FG_FSOUT_PATH_MAX * 2]) {
  char d[FG_FSOUT_PATH_MAX], b[FG_FSOUT_PATH_MAX], real[PATH_MAX];
  snprintf(d, sizeof d, "%s", path);
  snprintf(b, sizeof b, "%s", path);
  if (realpath(dirname(d), real) == NULL) return false;
  snprintf(out, FG_FSOUT_PATH_MAX * 2, "%s/%s", real, basename(b));
  return true;
}

static int fg_fsout_refuse(const char *target, const char *what, fg_err *err) {
  return fg_errf(err, FG_EINPUT,
                 "拒绝写入 %s：它是数据库、密钥、快照或正在读取的文件 (%s)，请另选输出文件名",
                 target, what);
}

int fg_fsout_check(const char *target, const fg_fsout_protect *p, fg_err *err) {
  struct stat t, q;
  if (target == NULL || target[0] == '\0') return fg_errf(err, FG_EINPUT, "输出文件名为空");
  char tc[FG_FSOUT_PATH_MAX * 2], pc[FG_FSOUT_PATH_MAX * 2];
  const bool have_tc = fg_fsout_canon(target, tc);
  for (int i = 0; have_tc && p != NULL && i < p->n; i++) /* by name: -wal may come later */
    if (fg_fsout_canon(p->path[i], pc) && strcmp(tc, pc) == 0)
      return fg_fsout_refuse(target, p->path[i], err);
  if (stat(target, &t) != 0) return 0; /* a new file (or a dangling link, replaced) */
  if (S_ISDIR(t.st_mode)) return fg_errf(err, FG_EINPUT, "输出目标 %s 是目录", target);
  for (int i = 0; p != NULL && i < p->n; i++)
    if (stat(p->path[i], &q) == 0 && q.st_dev == t.st_dev && q.st_ino == t.st_ino)
      return fg_fsout_refuse(target, p->path[i], err);
  return 0;
}

int fg_fsout_open(fg_fsout *o, const char *target, const fg_fsout_protect *p, bool no_clobber,
                  fg_err *err) {
  FG_ASSERT(o != NULL);
  memset(o, 0, sizeof *o);
  int rc = fg_fsout_check(target, p, err);
  if (rc) return rc;
  if (no_clobber && access(target, F_OK) == 0)
    return fg_errf(err, FG_EINPUT, "%s 已存在，不会覆盖", target);
  if (snprintf(o->target, sizeof o->target, "%s", target) >= (int)sizeof o->target)
    return fg_errf(err, FG_ELIMIT, "输出路径过长");
  o->no_clobber = no_clobber;
  for (int attempt = 0; attempt < 100; attempt++) {
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld.%d", target, (long)getpid(), attempt);
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) return fg_errf(err, FG_EIO, "无法创建 %s: %s", o->tmp, strerror(errno));
    o->f = fdopen(fd, "wb");
    if (o->f == NULL) {
      close(fd);
      unlink(o->tmp);
      return fg_errf(err, FG_EIO, "无法打开 %s", o->tmp);
    }
    o->active = true;
    return 0;
  }
  return fg_errf(err, FG_EIO, "无法为 %s 创建临时文件", target);
}

int fg_fsout_release_stream(fg_fsout *o, fg_err *err) {
  FG_ASSERT(o != NULL && o->f != NULL);
  const int rc = fclose(o->f);
  o->f = NULL;
  return rc == 0 ? 0 : fg_errf(err, FG_EIO, "无法写入 %s", o->tmp);
}

/* fsync the temporary file by name (its stream was released). */
static bool fg_fsout_sync_name(const char *path) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = fsync(fd) == 0;
  return close(fd) == 0 && ok;
}

int fg_fsout_commit(fg_fsout *o, fg_err *err) {
  FG_ASSERT(o != NULL && o->active);
  bool ok;
  if (o->f != NULL) {
    ok = fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
    ok = (fclose(o->f) == 0) && ok;
  } else {
    ok = fg_fsout_sync_name(o->tmp);
  }
  o->f = NULL;
  o->active = false;
  int e = 0;
  if (ok) {
    if (o->no_clobber) {
      ok = link(o->tmp, o->target) == 0;
      e = errno;
      unlink(o->tmp);
    } else {
      ok = rename(o->tmp, o->target) == 0;
      e = errno;
    }
  }
  if (!ok) {
    unlink(o->tmp);
    return fg_errf(err, FG_EIO, "无法写入 %s: %s", o->target, strerror(e ? e : EIO));
  }
  char dir[FG_FSOUT_PATH_MAX];
  snprintf(dir, sizeof dir, "%s", o->target);
  int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) { /* the rename itself is durable */
    (void)fsync(dfd);
    close(dfd);
  }
  return 0;
}

void fg_fsout_abort(fg_fsout *o) {
  if (o == NULL || !o->active) return;
  if (o->f != NULL) fclose(o->f);
  o->f = NULL;
  o->active = false;
  unlink(o->tmp);
}

void fg_fsout_sweep(const char *prefix) {
  char dir[FG_FSOUT_PATH_MAX], base[FG_FSOUT_PATH_MAX];
  snprintf(dir, sizeof dir, "%s", prefix);
  snprintf(base, sizeof base, "%s", prefix);
  const char *d = dirname(dir), *b = basename(base);
  DIR *dp = opendir(d);
  if (dp == NULL) return;
  char stem[FG_FSOUT_PATH_MAX];
  snprintf(stem, sizeof stem, "%s.tmp.", b);
  const size_t n = strlen(stem);
  struct dirent *e;
  while ((e = readdir(dp)) != NULL) {
    if (strncmp(e->d_name, stem, n) != 0) continue;
    char *end = NULL;
    long pid = strtol(e->d_name + n, &end, 10);
    if (end == e->d_name + n || pid <= 0) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* its writer lives */
    char path[FG_FSOUT_PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", d, e->d_name);
    unlink(path);
  }
  closedir(dp);
}

int fg_file_read(const char *path, size_t max_bytes, char **text, size_t *n, fg_err *err) {
  FG_ASSERT(path != NULL && text != NULL && n != NULL);
  *text = NULL;
  *n = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return fg_errf(err, FG_EIO, "%s: 无法打开文件：%s", path, strerror(errno));
  fg_buf b = FG_BUF_INIT;
  char chunk[8192];
  size_t got;
  int rc = 0;
  while (rc == 0 && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (b.len + got > max_bytes)
      rc = fg_errf(err, FG_ELIMIT, "%s: 文件过大（上限 %zu 字节）", path, max_bytes);
    else
      fg_buf_add(&b, chunk, got);
  }
  if (rc == 0 && ferror(f)) rc = fg_errf(err, FG_EIO, "%s: 读取失败", path);
  fclose(f);
  if (rc) {
    fg_buf_release(&b);
    return rc;
  }
  fg_buf_add(&b, "", 0);
  *n = b.len;
  *text = fg_buf_detach(&b);
  return 0;
}
