; ModuleID = 'silu_threads'
source_filename = "silu_threads"

; Function Attrs: nounwind
define void @silu_threads(i8** noalias %buffers) #0 {
entry:
  %group.ptrs = alloca [2 x i8*], align 8
  %group.live = alloca [1 x i64], align 8
  %group.args = alloca [3 x [4 x i64]], align 8
  %group.threads = alloca [3 x i64], align 8
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %x.raw = load i8*, i8** %0, align 8
  %x = bitcast i8* %x.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %y.raw = load i8*, i8** %1, align 8
  %y = bitcast i8* %y.raw to float*
  %2 = getelementptr inbounds [2 x i8*], [2 x i8*]* %group.ptrs, i64 0, i64 0
  %3 = bitcast float* %x to i8*
  store i8* %3, i8** %2, align 8
  %4 = getelementptr inbounds [2 x i8*], [2 x i8*]* %group.ptrs, i64 0, i64 1
  %5 = bitcast float* %y to i8*
  store i8* %5, i8** %4, align 8
  %6 = getelementptr inbounds [3 x [4 x i64]], [3 x [4 x i64]]* %group.args, i64 0, i64 0
  %7 = bitcast [4 x i64]* %6 to i64*
  %8 = ptrtoint [2 x i8*]* %group.ptrs to i64
  store i64 %8, i64* %7, align 4
  %9 = getelementptr inbounds i64, i64* %7, i64 1
  store i64 0, i64* %9, align 4
  %10 = getelementptr inbounds i64, i64* %7, i64 2
  store i64 3, i64* %10, align 4
  %11 = getelementptr inbounds i64, i64* %7, i64 3
  %12 = ptrtoint [1 x i64]* %group.live to i64
  store i64 %12, i64* %11, align 4
  %13 = bitcast [4 x i64]* %6 to i8*
  %14 = getelementptr inbounds [3 x [4 x i64]], [3 x [4 x i64]]* %group.args, i64 0, i64 1
  %15 = bitcast [4 x i64]* %14 to i64*
  %16 = ptrtoint [2 x i8*]* %group.ptrs to i64
  store i64 %16, i64* %15, align 4
  %17 = getelementptr inbounds i64, i64* %15, i64 1
  store i64 1, i64* %17, align 4
  %18 = getelementptr inbounds i64, i64* %15, i64 2
  store i64 3, i64* %18, align 4
  %19 = getelementptr inbounds i64, i64* %15, i64 3
  %20 = ptrtoint [1 x i64]* %group.live to i64
  store i64 %20, i64* %19, align 4
  %21 = bitcast [4 x i64]* %14 to i8*
  %22 = getelementptr inbounds [3 x [4 x i64]], [3 x [4 x i64]]* %group.args, i64 0, i64 2
  %23 = bitcast [4 x i64]* %22 to i64*
  %24 = ptrtoint [2 x i8*]* %group.ptrs to i64
  store i64 %24, i64* %23, align 4
  %25 = getelementptr inbounds i64, i64* %23, i64 1
  store i64 2, i64* %25, align 4
  %26 = getelementptr inbounds i64, i64* %23, i64 2
  store i64 3, i64* %26, align 4
  %27 = getelementptr inbounds i64, i64* %23, i64 3
  %28 = ptrtoint [1 x i64]* %group.live to i64
  store i64 %28, i64* %27, align 4
  %29 = bitcast [4 x i64]* %22 to i8*
  %30 = getelementptr inbounds [3 x i64], [3 x i64]* %group.threads, i64 0, i64 1
  %31 = call i32 @pthread_create(i64* %30, i8* null, i8* (i8*)* @silu_threads.group0, i8* %21)
  %32 = icmp eq i32 %31, 0
  br i1 %32, label %thread.next, label %thread.inline

thread.inline:                                    ; preds = %entry
  %33 = call i8* @silu_threads.group0(i8* %21)
  br label %thread.next

thread.next:                                      ; preds = %thread.inline, %entry
  %34 = getelementptr inbounds [3 x i64], [3 x i64]* %group.threads, i64 0, i64 2
  %35 = call i32 @pthread_create(i64* %34, i8* null, i8* (i8*)* @silu_threads.group0, i8* %29)
  %36 = icmp eq i32 %35, 0
  br i1 %36, label %thread.next2, label %thread.inline1

thread.inline1:                                   ; preds = %thread.next
  %37 = call i8* @silu_threads.group0(i8* %29)
  br label %thread.next2

thread.next2:                                     ; preds = %thread.inline1, %thread.next
  %38 = call i8* @silu_threads.group0(i8* %13)
  br i1 %32, label %thread.join, label %thread.joined

thread.join:                                      ; preds = %thread.next2
  %39 = getelementptr inbounds [3 x i64], [3 x i64]* %group.threads, i64 0, i64 1
  %40 = load i64, i64* %39, align 4
  %41 = call i32 @pthread_join(i64 %40, i8** null)
  br label %thread.joined

thread.joined:                                    ; preds = %thread.join, %thread.next2
  br i1 %36, label %thread.join3, label %thread.joined4

thread.join3:                                     ; preds = %thread.joined
  %42 = getelementptr inbounds [3 x i64], [3 x i64]* %group.threads, i64 0, i64 2
  %43 = load i64, i64* %42, align 4
  %44 = call i32 @pthread_join(i64 %43, i8** null)
  br label %thread.joined4

thread.joined4:                                   ; preds = %thread.join3, %thread.joined
  ret void
}

; Function Attrs: nounwind
define internal i8* @silu_threads.group0(i8* %0) #0 {
entry:
  %1 = bitcast i8* %0 to i64*
  %2 = load i64, i64* %1, align 4
  %3 = inttoptr i64 %2 to i8**
  %4 = getelementptr inbounds i64, i64* %1, i64 1
  %tid = load i64, i64* %4, align 4
  %5 = getelementptr inbounds i64, i64* %1, i64 2
  %nthreads = load i64, i64* %5, align 4
  %6 = getelementptr inbounds i64, i64* %1, i64 3
  %7 = load i64, i64* %6, align 4
  %8 = inttoptr i64 %7 to i64*
  %9 = getelementptr inbounds i8*, i8** %3, i64 0
  %10 = load i8*, i8** %9, align 8
  %x = bitcast i8* %10 to float*
  %11 = getelementptr inbounds i8*, i8** %3, i64 1
  %12 = load i8*, i8** %11, align 8
  %y = bitcast i8* %12 to float*
  %13 = sub i64 %nthreads, 1
  %14 = add i64 8, %13
  %15 = sdiv i64 %14, %nthreads
  %16 = mul i64 %tid, %15
  %17 = add i64 %16, %15
  %18 = icmp slt i64 %17, 8
  %19 = select i1 %18, i64 %17, i64 8
  %20 = icmp slt i64 %16, %19
  %21 = select i1 %20, i64 %16, i64 %19
  %22 = mul i64 %tid, 0
  %23 = add i64 0, %22
  br label %group0.head

group0.head:                                      ; preds = %_b1.exit, %entry
  %group0 = phi i64 [ %21, %entry ], [ %group0.next, %_b1.exit ]
  %24 = icmp slt i64 %group0, %19
  br i1 %24, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  br label %_b1.head

group0.exit:                                      ; preds = %group0.head
  ret i8* null

_b1.head:                                         ; preds = %_b1.body, %group0.body
  %_b1 = phi i64 [ 0, %group0.body ], [ %_b1.next, %_b1.body ]
  %25 = icmp slt i64 %_b1, 16
  br i1 %25, label %_b1.body, label %_b1.exit

_b1.body:                                         ; preds = %_b1.head
  %26 = add nuw nsw i64 0, %group0
  %27 = mul nuw nsw i64 %26, 16
  %28 = add nuw nsw i64 %27, %_b1
  %29 = getelementptr inbounds float, float* %x, i64 %28
  %30 = load float, float* %29, align 4, !alias.scope !0, !noalias !3
  %31 = fneg reassoc arcp contract float %30
  %32 = call reassoc arcp contract float @expf(float %31)
  %33 = fadd reassoc arcp contract float 1.000000e+00, %32
  %34 = add nuw nsw i64 0, %group0
  %35 = mul nuw nsw i64 %34, 16
  %36 = add nuw nsw i64 %35, %_b1
  %37 = getelementptr inbounds float, float* %x, i64 %36
  %38 = load float, float* %37, align 4, !alias.scope !0, !noalias !3
  %39 = fdiv reassoc arcp contract float %38, %33
  %40 = add nuw nsw i64 0, %group0
  %41 = mul nuw nsw i64 %40, 16
  %42 = add nuw nsw i64 %41, %_b1
  %43 = getelementptr inbounds float, float* %y, i64 %42
  store float %39, float* %43, align 4, !alias.scope !7, !noalias !8
  %_b1.next = add nuw nsw i64 %_b1, 1
  br label %_b1.head, !llvm.loop !9

_b1.exit:                                         ; preds = %_b1.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head
}

; Function Attrs: nounwind readnone willreturn
declare float @expf(float) #1

declare i32 @pthread_create(i64*, i8*, i8* (i8*)*, i8*)

declare i32 @pthread_join(i64, i8**)

attributes #0 = { nounwind }
attributes #1 = { nounwind readnone willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"x"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6}
!4 = distinct !{!4, !2, !"x.pack"}
!5 = distinct !{!5, !2, !"y"}
!6 = distinct !{!6, !2, !"y.pack"}
!7 = !{!5}
!8 = !{!1, !4, !6}
!9 = distinct !{!9, !10}
!10 = !{!"llvm.loop.vectorize.enable", i1 true}
