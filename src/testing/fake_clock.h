// A clock tests move by hand.
#pragma once

#include <atomic>

#include "common/clock.h"

namespace testing_support {

class FakeClock final : public common::Clock {
 public:
  explicit FakeClock(common::TimePoint start = common::from_epoch_seconds(1700000000)) : now_(start) {}
  common::TimePoint now() const override { return now_.load(); }
  void set(common::TimePoint t) { now_.store(t); }
  void advance(std::chrono::seconds d) { now_.store(now_.load() + d); }

 private:
  std::atomic<common::TimePoint> now_;
};

}  // namespace testing_support
