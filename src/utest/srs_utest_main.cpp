// Runs all unit tests inside an ST environment, so coroutine code can be tested directly.
#include <gtest/gtest.h>

#include <srs_core_error.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>

namespace {

// A test that blocked outside ST (ffmpeg through system()) leaves ST's clock stale, and the
// next test's timed IO would then time out at once: yield once before each test so ST reads
// the clock again.
class SrsStClockRefresher : public testing::EmptyTestEventListener {
    void OnTestStart(const testing::TestInfo&) override { srs_usleep(1); }
};

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    srs_error_t err = srs_st_init();
    if (err) {
        fprintf(stderr, "st init: %s\n", srs_error_desc(err).c_str());
        return 1;
    }
    // Tests check behaviour, not log lines; keep the output readable.
    srs_logger().configure(SrsLogLevelError, "");
    testing::UnitTest::GetInstance()->listeners().Append(new SrsStClockRefresher());
    return RUN_ALL_TESTS();
}
