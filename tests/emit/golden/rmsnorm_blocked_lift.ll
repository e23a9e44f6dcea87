; ModuleID = 'rmsnorm_blocked_lift'
source_filename = "rmsnorm_blocked_lift"

; Function Attrs: nounwind
define void @rmsnorm_blocked_lift(i8** noalias %buffers) #0 {
entry:
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %x.raw = load i8*, i8** %0, align 8
  %x = bitcast i8* %x.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %g.raw = load i8*, i8** %1, align 8
  %g = bitcast i8* %g.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %y.raw = load i8*, i8** %2, align 8
  %y = bitcast i8* %y.raw to float*
  %3 = getelementptr inbounds i8*, i8** %buffers, i64 3
  %y.ss.raw = load i8*, i8** %3, align 8
  %y.ss = bitcast i8* %y.ss.raw to float*
  %4 = getelementptr inbounds i8*, i8** %buffers, i64 4
  %y.r.raw = load i8*, i8** %4, align 8
  %y.r = bitcast i8* %y.r.raw to float*
  br label %_b0.head

_b0.head:                                         ; preds = %_b0.body, %entry
  %_b0 = phi i64 [ 0, %entry ], [ %_b0.next, %_b0.body ]
  %5 = icmp slt i64 %_b0, 4
  br i1 %5, label %_b0.body, label %_b0.exit

_b0.body:                                         ; preds = %_b0.head
  %6 = add nuw nsw i64 0, %_b0
  %7 = getelementptr inbounds float, float* %y.ss, i64 %6
  store float 0.000000e+00, float* %7, align 4, !alias.scope !0, !noalias !3
  %_b0.next = add nuw nsw i64 %_b0, 1
  br label %_b0.head, !llvm.loop !13

_b0.exit:                                         ; preds = %_b0.head
  br label %j.o.head

j.o.head:                                         ; preds = %_b0.exit3, %_b0.exit
  %j.o = phi i64 [ 0, %_b0.exit ], [ %j.o.next, %_b0.exit3 ]
  %8 = icmp slt i64 %j.o, 2
  br i1 %8, label %j.o.body, label %j.o.exit

j.o.body:                                         ; preds = %j.o.head
  br label %_b0.head1

j.o.exit:                                         ; preds = %j.o.head
  br label %group1.head

_b0.head1:                                        ; preds = %j.i.exit, %j.o.body
  %_b04 = phi i64 [ 0, %j.o.body ], [ %_b0.next5, %j.i.exit ]
  %9 = icmp slt i64 %_b04, 4
  br i1 %9, label %_b0.body2, label %_b0.exit3

_b0.body2:                                        ; preds = %_b0.head1
  br label %j.i.head

_b0.exit3:                                        ; preds = %_b0.head1
  %j.o.next = add nuw nsw i64 %j.o, 1
  br label %j.o.head

j.i.head:                                         ; preds = %j.i.body, %_b0.body2
  %j.i = phi i64 [ 0, %_b0.body2 ], [ %j.i.next, %j.i.body ]
  %10 = icmp slt i64 %j.i, 8
  br i1 %10, label %j.i.body, label %j.i.exit

j.i.body:                                         ; preds = %j.i.head
  %11 = mul i64 %j.o, 8
  %j = add i64 %11, %j.i
  %12 = add nuw nsw i64 0, %_b04
  %13 = getelementptr inbounds float, float* %y.ss, i64 %12
  %14 = load float, float* %13, align 4, !alias.scope !0, !noalias !3
  %15 = add nuw nsw i64 0, %_b04
  %16 = mul nuw nsw i64 %15, 16
  %17 = add nuw nsw i64 %16, %j
  %18 = getelementptr inbounds float, float* %x, i64 %17
  %19 = load float, float* %18, align 4, !alias.scope !15, !noalias !16
  %20 = add nuw nsw i64 0, %_b04
  %21 = mul nuw nsw i64 %20, 16
  %22 = add nuw nsw i64 %21, %j
  %23 = getelementptr inbounds float, float* %x, i64 %22
  %24 = load float, float* %23, align 4, !alias.scope !15, !noalias !16
  %25 = fmul reassoc arcp contract float %24, %19
  %26 = fadd reassoc arcp contract float %14, %25
  store float %26, float* %13, align 4, !alias.scope !0, !noalias !3
  %j.i.next = add nuw nsw i64 %j.i, 1
  br label %j.i.head

j.i.exit:                                         ; preds = %j.i.head
  %_b0.next5 = add nuw nsw i64 %_b04, 1
  br label %_b0.head1

group1.head:                                      ; preds = %group1.body, %j.o.exit
  %group1 = phi i64 [ 0, %j.o.exit ], [ %group1.next, %group1.body ]
  %27 = icmp slt i64 %group1, 4
  br i1 %27, label %group1.body, label %group1.exit

group1.body:                                      ; preds = %group1.head
  %28 = add nuw nsw i64 0, %group1
  %29 = getelementptr inbounds float, float* %y.ss, i64 %28
  %30 = load float, float* %29, align 4, !alias.scope !0, !noalias !3
  %31 = fdiv reassoc arcp contract float %30, 1.600000e+01
  %32 = fadd reassoc arcp contract float %31, 0x3EB0C6F7A0000000
  %33 = call reassoc arcp contract float @llvm.sqrt.f32(float %32)
  %34 = fdiv reassoc arcp contract float 1.000000e+00, %33
  %35 = add nuw nsw i64 0, %group1
  %36 = getelementptr inbounds float, float* %y.r, i64 %35
  store float %34, float* %36, align 4, !alias.scope !17, !noalias !18
  %group1.next = add nuw nsw i64 %group1, 1
  br label %group1.head

group1.exit:                                      ; preds = %group1.head
  br label %group2.head

group2.head:                                      ; preds = %n.v.exit, %group1.exit
  %group2 = phi i64 [ 0, %group1.exit ], [ %group2.next, %n.v.exit ]
  %37 = icmp slt i64 %group2, 4
  br i1 %37, label %group2.body, label %group2.exit

group2.body:                                      ; preds = %group2.head
  br label %n.v.head

group2.exit:                                      ; preds = %group2.head
  ret void

n.v.head:                                         ; preds = %n.v.body, %group2.body
  %n.v = phi i64 [ 0, %group2.body ], [ %n.v.next, %n.v.body ]
  %38 = icmp slt i64 %n.v, 2
  br i1 %38, label %n.v.body, label %n.v.exit

n.v.body:                                         ; preds = %n.v.head
  %39 = mul i64 %n.v, 8
  %40 = add nuw nsw i64 0, %39
  %41 = getelementptr inbounds float, float* %g, i64 %40
  %42 = bitcast float* %41 to <8 x float>*
  %43 = load <8 x float>, <8 x float>* %42, align 4, !alias.scope !19, !noalias !20
  %44 = add nuw nsw i64 0, %group2
  %45 = getelementptr inbounds float, float* %y.r, i64 %44
  %46 = load float, float* %45, align 4, !alias.scope !17, !noalias !18
  %.splatinsert = insertelement <8 x float> poison, float %46, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %47 = add nuw nsw i64 0, %group2
  %48 = mul nuw nsw i64 %47, 16
  %49 = add nuw nsw i64 %48, %39
  %50 = getelementptr inbounds float, float* %x, i64 %49
  %51 = bitcast float* %50 to <8 x float>*
  %52 = load <8 x float>, <8 x float>* %51, align 4, !alias.scope !15, !noalias !16
  %53 = fmul reassoc arcp contract <8 x float> %52, %.splat
  %54 = fmul reassoc arcp contract <8 x float> %53, %43
  %55 = add nuw nsw i64 0, %group2
  %56 = mul nuw nsw i64 %55, 16
  %57 = add nuw nsw i64 %56, %39
  %58 = getelementptr inbounds float, float* %y, i64 %57
  %59 = bitcast float* %58 to <8 x float>*
  store <8 x float> %54, <8 x float>* %59, align 4, !alias.scope !21, !noalias !22
  %n.v.next = add nuw nsw i64 %n.v, 1
  br label %n.v.head

n.v.exit:                                         ; preds = %n.v.head
  %group2.next = add nuw nsw i64 %group2, 1
  br label %group2.head
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sqrt.f32(float) #1

attributes #0 = { nounwind }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"y.ss"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8, !9, !10, !11, !12}
!4 = distinct !{!4, !2, !"x"}
!5 = distinct !{!5, !2, !"x.pack"}
!6 = distinct !{!6, !2, !"g"}
!7 = distinct !{!7, !2, !"g.pack"}
!8 = distinct !{!8, !2, !"y"}
!9 = distinct !{!9, !2, !"y.pack"}
!10 = distinct !{!10, !2, !"y.ss.pack"}
!11 = distinct !{!11, !2, !"y.r"}
!12 = distinct !{!12, !2, !"y.r.pack"}
!13 = distinct !{!13, !14}
!14 = !{!"llvm.loop.vectorize.enable", i1 true}
!15 = !{!4}
!16 = !{!5, !6, !7, !8, !9, !1, !10, !11, !12}
!17 = !{!11}
!18 = !{!4, !5, !6, !7, !8, !9, !1, !10, !12}
!19 = !{!6}
!20 = !{!4, !5, !7, !8, !9, !1, !10, !11, !12}
!21 = !{!8}
!22 = !{!4, !5, !6, !7, !9, !1, !10, !11, !12}
