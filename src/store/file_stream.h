// Streaming a request body into a file, as S3's data files and ECR's blob files do: filling
// buffers from a body, and starting the writeback of what was written so the fsync that
// publishes the file has little left to write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace store {

// A body: read(buffer, size) returns the bytes read, 0 at the end, < 0 when the body failed.
using BodyRead = std::function<long(char*, size_t)>;

// Reads until `size` bytes are in `buffer` (`got` of them already are) or the body ends; false
// when the body failed.
bool fill(const BodyRead& read, char* buffer, size_t size, size_t& got);

// Starts the writeback of bytes [from, to) of file `fd` without waiting for it
// (sync_file_range on Linux; elsewhere nothing). False when it could not be started.
bool start_writeback(int fd, uint64_t from, uint64_t to);

}  // namespace store
