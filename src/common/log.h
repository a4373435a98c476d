// Logging: lines to stderr, buffered and flushed by a background thread so the access log
// costs no syscall per request. Important lines (startup, errors) flush at once.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace common::log {

enum class Level { Debug, Info, Warn, Error };

void set_level(Level level);
Level level();
bool enabled(Level level);
// Writes one line ("<iso time> <level> <message>\n").
void write(Level level, std::string_view message, bool flush_now = false);
// Flushes buffered lines (also done every 50 ms and at exit).
void flush();

template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::Info)) write(Level::Info, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::Warn)) write(Level::Warn, fmt::format(f, std::forward<Args>(args)...), true);
}
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::Error)) write(Level::Error, fmt::format(f, std::forward<Args>(args)...), true);
}
template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::Debug)) write(Level::Debug, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace common::log
