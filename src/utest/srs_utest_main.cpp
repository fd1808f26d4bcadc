// Runs all unit tests inside an ST environment, so coroutine code can be tested directly.
#include <gtest/gtest.h>

#include <srs_core_error.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    srs_error_t err = srs_st_init();
    if (err) {
        fprintf(stderr, "st init: %s\n", srs_error_desc(err).c_str());
        return 1;
    }
    // Tests check behaviour, not log lines; keep the output readable.
    srs_logger().configure(SrsLogLevelError, "");
    return RUN_ALL_TESTS();
}
