/**
 * Schedules: their definitions and rules ({@link dev.jobyard.schedule.ScheduleService}), the SQL of the
 * schedule tables ({@link dev.jobyard.schedule.ScheduleStore}), what to do with one due schedule, computed
 * without the database ({@link dev.jobyard.schedule.SlotPlan}: misfires, off-timetable slots), and the
 * leader's firer that turns due slots into jobs exactly once and sets aside schedules it cannot evaluate
 * ({@link dev.jobyard.schedule.ScheduleFirer}).
 */
package dev.jobyard.schedule;
