#include "failure.hpp"

namespace ttc::cpu {
thread_local std::string last_message;
thread_local std::int64_t last_batch_index = -1;

ttc_status publish(const Failure& f) {
    last_message = f.failed() ? f.message : std::string();
    last_batch_index = f.failed() ? f.batch_index : -1;
    return f.status;
}

const char* last_error_message() { return last_message.c_str(); }

std::int64_t last_error_batch_index() { return last_batch_index; }

}  // namespace ttc::cpu
