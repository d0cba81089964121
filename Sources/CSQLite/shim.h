#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call: this wrapper covers the
// integer options (op, int onoff, int *result) such as SQLITE_DBCONFIG_DQS_DML.
static inline int continuity_sqlite3_db_config_int(sqlite3 *db, int op, int value) {
    int result = 0;
    return sqlite3_db_config(db, op, value, &result);
}
