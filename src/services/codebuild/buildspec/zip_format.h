// ZIP format constants and little-endian helpers shared by zip_writer.cc and zip_reader.cc
// (PKWARE APPNOTE 6.3).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace buildspec::zip {

inline constexpr uint32_t kLocalHeader = 0x04034b50;
inline constexpr uint32_t kCentralHeader = 0x02014b50;
inline constexpr uint32_t kDataDescriptor = 0x08074b50;
inline constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
inline constexpr uint32_t kZip64EndOfCentralDirectory = 0x06064b50;
inline constexpr uint32_t kZip64Locator = 0x07064b50;

inline constexpr uint16_t kZip64Extra = 0x0001;
inline constexpr uint16_t kExtendedTimestampExtra = 0x5455;

inline constexpr uint16_t kFlagDataDescriptor = 1 << 3;
inline constexpr uint16_t kFlagUtf8 = 1 << 11;
inline constexpr uint16_t kFlagEncrypted = 1 << 0;

inline constexpr uint16_t kMethodStored = 0;
inline constexpr uint16_t kMethodDeflated = 8;

inline constexpr uint16_t kVersionDeflate = 20;
inline constexpr uint16_t kVersionZip64 = 45;
inline constexpr uint16_t kMadeByUnix = 3 << 8;

inline constexpr uint32_t kMax32 = 0xFFFFFFFFu;
inline constexpr uint16_t kMax16 = 0xFFFF;

inline void put16(std::string& out, uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}
inline void put32(std::string& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v & 0xFFFF));
  put16(out, static_cast<uint16_t>(v >> 16));
}
inline void put64(std::string& out, uint64_t v) {
  put32(out, static_cast<uint32_t>(v & 0xFFFFFFFFu));
  put32(out, static_cast<uint32_t>(v >> 32));
}

inline uint16_t get16(std::string_view in, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(in[at]) | static_cast<unsigned char>(in[at + 1]) << 8);
}
inline uint32_t get32(std::string_view in, size_t at) {
  return static_cast<uint32_t>(get16(in, at)) | static_cast<uint32_t>(get16(in, at + 2)) << 16;
}
inline uint64_t get64(std::string_view in, size_t at) {
  return static_cast<uint64_t>(get32(in, at)) | static_cast<uint64_t>(get32(in, at + 4)) << 32;
}

// MS-DOS time and date fields (2-second resolution, 1980 to 2107), in UTC.
inline void dos_time(time_t t, uint16_t& time_field, uint16_t& date_field) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  if (tm.tm_year < 80) {
    time_field = 0;
    date_field = (1 << 5) | 1;  // 1980-01-01
    return;
  }
  time_field = static_cast<uint16_t>(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
  date_field = static_cast<uint16_t>((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

inline time_t from_dos_time(uint16_t time_field, uint16_t date_field) {
  std::tm tm{};
  tm.tm_year = (date_field >> 9) + 80;
  tm.tm_mon = ((date_field >> 5) & 0xF) - 1;
  tm.tm_mday = date_field & 0x1F;
  tm.tm_hour = time_field >> 11;
  tm.tm_min = (time_field >> 5) & 0x3F;
  tm.tm_sec = (time_field & 0x1F) * 2;
  return timegm(&tm);
}

}  // namespace buildspec::zip
