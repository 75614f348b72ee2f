# planhat_fdw: foreign-data wrapper for the Planhat REST API
#
# Build and install with PGXS:   make && make install
# The two commands users need (they install build dependencies first):
#   bash test/demo.sh     a throwaway PostgreSQL + the emulator, example reports
#   bash test/check.sh    the whole test suite

MODULE_big = planhat_fdw
OBJS = \
	src/planhat_fdw.o \
	src/option.o \
	src/resource.o \
	src/pushdown.o \
	src/request.o \
	src/http.o \
	src/convert.o \
	src/answer.o \
	src/jsonpage.o \
	src/import.o \
	src/scan.o \
	src/modify.o \
	src/stats.o
PGFILEDESC = "planhat_fdw - foreign-data wrapper for Planhat"

EXTENSION = planhat_fdw
# every install and upgrade script: sql/planhat_fdw--<version>.sql and
# sql/planhat_fdw--<from>--<to>.sql
DATA = $(wildcard sql/planhat_fdw--*.sql)

# The version is written once, as default_version in planhat_fdw.control;
# the C code gets it as PLANHAT_FDW_VERSION (User-Agent, module magic)
EXTVERSION := $(shell sed -n -E "s/^default_version[[:space:]]*=[[:space:]]*'([^']+)'.*/\1/p" $(EXTENSION).control)
ifeq ($(EXTVERSION),)
$(error could not read default_version from $(EXTENSION).control)
endif

# pg_regress tests: sql/<name>.sql against expected/<name>.out, in this order
REGRESS = options read import conformance types pushdown sort_limit join fidelity prefetch incremental concurrent dml writes resources faults cancel security hostile warehouse url_errors upgrade catalog


CURL_CONFIG ?= curl-config
PKG_CONFIG ?= pkg-config
PG_CPPFLAGS += -DPLANHAT_FDW_VERSION='"$(EXTVERSION)"'
PG_CPPFLAGS += $(shell $(CURL_CONFIG) --cflags) $(shell $(PKG_CONFIG) --cflags json-c)
SHLIB_LINK += $(shell $(CURL_CONFIG) --libs) $(shell $(PKG_CONFIG) --libs json-c)
PG_CFLAGS += -Wall -Wmissing-prototypes -Wpointer-arith -Werror=vla
# test/check.sh builds with WERROR=1: the code stays warning-free
ifdef WERROR
PG_CFLAGS += -Werror
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: every object depends on the headers,
# and on the control file that holds the version
$(OBJS): src/planhat_fdw.h src/pg_compat.h src/jsonpage.h $(EXTENSION).control

# The pg_regress suite with PostgreSQL under valgrind memcheck (slow; not part
# of test/check.sh's default run): "valgrind ... 0 errors" is the verdict.
.PHONY: check-valgrind
check-valgrind:
	bash test/check.sh --valgrind

# Tested on 15, 17 and 18; 16 builds (src/pg_compat.h) but is not tested
ifneq ($(filter $(MAJORVERSION),15 16 17 18),$(MAJORVERSION))
$(warning planhat_fdw is tested on PostgreSQL 15, 17 and 18; $(MAJORVERSION) is not supported)
endif
