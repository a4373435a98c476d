#include "store/file_stream.h"

#include <fcntl.h>

namespace store {

bool fill(const BodyRead& read, char* buffer, size_t size, size_t& got) {
  while (got < size) {
    long n = read(buffer + got, size - got);
    if (n < 0) return false;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return true;
}

bool start_writeback(int fd, uint64_t from, uint64_t to) {
#ifdef __linux__
  return ::sync_file_range(fd, static_cast<off_t>(from), static_cast<off_t>(to - from), SYNC_FILE_RANGE_WRITE) == 0;
#else
  (void)fd, (void)from, (void)to;
  return false;
#endif
}

}  // namespace store
