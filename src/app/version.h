/* The version of smaptop: the one place it is written. */
#ifndef SMAPTOP_VERSION_H
#define SMAPTOP_VERSION_H
#define SMAPTOP_VERSION "0.1.0"
#endif
