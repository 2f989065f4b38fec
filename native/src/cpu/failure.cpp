#include "failure.hpp"

namespace ttc::cpu {
thread_local std::string last_message;
thread_local std::int64_t last_batch_index = -1;

ttc_status publish(const Failure& f) {
    last_message = f.failed() ? f.message : std::string();
    last_batch_index = f.failed() ? f.batch_index : -1;
    return f.status;
}

}  // namespace ttc::cpu

extern "C" TTC_API const char* ttc_last_error(void) { return ttc::cpu::last_message.c_str(); }

extern "C" TTC_API int64_t ttc_last_error_batch_index(void) { return ttc::cpu::last_batch_index; }
