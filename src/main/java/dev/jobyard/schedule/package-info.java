/**
 * Schedules: their definitions and rules ({@link dev.jobyard.schedule.ScheduleService}), the SQL of the
 * schedule tables ({@link dev.jobyard.schedule.ScheduleStore}), and the leader's firer that turns due
 * slots into jobs exactly once ({@link dev.jobyard.schedule.ScheduleFirer}).
 */
package dev.jobyard.schedule;
