; ModuleID = 'matmul_lifted_ragged'
source_filename = "matmul_lifted_ragged"

; Function Attrs: nounwind
define void @matmul_lifted_ragged(i8** noalias %buffers) #0 {
entry:
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %a.raw = load i8*, i8** %0, align 8
  %a = bitcast i8* %a.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %b.raw = load i8*, i8** %1, align 8
  %b = bitcast i8* %b.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %c.raw = load i8*, i8** %2, align 8
  %c = bitcast i8* %c.raw to float*
  br label %group0.head

group0.head:                                      ; preds = %k.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %k.exit ]
  %3 = icmp slt i64 %group0, 3
  br i1 %3, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %4 = mul i64 %group0, 4
  br label %m.i.head

group0.exit:                                      ; preds = %group0.head
  ret void

m.i.head:                                         ; preds = %n.exit, %group0.body
  %m.i = phi i64 [ 0, %group0.body ], [ %m.i.next, %n.exit ]
  %5 = icmp slt i64 %m.i, 4
  br i1 %5, label %m.i.body, label %m.i.exit

m.i.body:                                         ; preds = %m.i.head
  %6 = mul i64 %group0, 4
  %m = add i64 %6, %m.i
  br label %n.head

m.i.exit:                                         ; preds = %m.i.head
  br label %k.head

n.head:                                           ; preds = %guard.done, %m.i.body
  %n = phi i64 [ 0, %m.i.body ], [ %n.next, %guard.done ]
  %7 = icmp slt i64 %n, 24
  br i1 %7, label %n.body, label %n.exit

n.body:                                           ; preds = %n.head
  %8 = icmp slt i64 %m, 9
  br i1 %8, label %guard.in, label %guard.done

n.exit:                                           ; preds = %n.head
  %m.i.next = add nuw nsw i64 %m.i, 1
  br label %m.i.head

guard.in:                                         ; preds = %n.body
  %9 = add nuw nsw i64 0, %m
  %10 = mul nuw nsw i64 %9, 24
  %11 = add nuw nsw i64 %10, %n
  %12 = getelementptr inbounds float, float* %c, i64 %11
  store float 0.000000e+00, float* %12, align 4, !alias.scope !0, !noalias !3
  br label %guard.done

guard.done:                                       ; preds = %guard.in, %n.body
  %n.next = add nuw nsw i64 %n, 1
  br label %n.head, !llvm.loop !9

k.head:                                           ; preds = %m.i.exit3, %m.i.exit
  %k = phi i64 [ 0, %m.i.exit ], [ %k.next, %m.i.exit3 ]
  %13 = icmp slt i64 %k, 5
  br i1 %13, label %k.body, label %k.exit

k.body:                                           ; preds = %k.head
  br label %m.i.head1

k.exit:                                           ; preds = %k.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

m.i.head1:                                        ; preds = %n.o.exit, %k.body
  %m.i4 = phi i64 [ 0, %k.body ], [ %m.i.next9, %n.o.exit ]
  %14 = icmp slt i64 %m.i4, 4
  br i1 %14, label %m.i.body2, label %m.i.exit3

m.i.body2:                                        ; preds = %m.i.head1
  %15 = mul i64 %group0, 4
  %m5 = add i64 %15, %m.i4
  br label %n.o.head

m.i.exit3:                                        ; preds = %m.i.head1
  %k.next = add nuw nsw i64 %k, 1
  br label %k.head

n.o.head:                                         ; preds = %n.i.v.exit, %m.i.body2
  %n.o = phi i64 [ 0, %m.i.body2 ], [ %n.o.next, %n.i.v.exit ]
  %16 = icmp slt i64 %n.o, 3
  br i1 %16, label %n.o.body, label %n.o.exit

n.o.body:                                         ; preds = %n.o.head
  br label %n.i.v.head

n.o.exit:                                         ; preds = %n.o.head
  %m.i.next9 = add nuw nsw i64 %m.i4, 1
  br label %m.i.head1

n.i.v.head:                                       ; preds = %guard.done8, %n.o.body
  %n.i.v = phi i64 [ 0, %n.o.body ], [ %n.i.v.next, %guard.done8 ]
  %17 = icmp slt i64 %n.i.v, 1
  br i1 %17, label %n.i.v.body, label %n.i.v.exit

n.i.v.body:                                       ; preds = %n.i.v.head
  %18 = mul i64 %n.i.v, 8
  %19 = mul i64 %n.o, 8
  %n6 = add i64 %19, %18
  %20 = icmp slt i64 %m5, 9
  br i1 %20, label %guard.in7, label %guard.done8

n.i.v.exit:                                       ; preds = %n.i.v.head
  %n.o.next = add nuw nsw i64 %n.o, 1
  br label %n.o.head

guard.in7:                                        ; preds = %n.i.v.body
  %21 = add nuw nsw i64 0, %m5
  %22 = mul nuw nsw i64 %21, 24
  %23 = add nuw nsw i64 %22, %n6
  %24 = getelementptr inbounds float, float* %c, i64 %23
  %25 = bitcast float* %24 to <8 x float>*
  %26 = load <8 x float>, <8 x float>* %25, align 4, !alias.scope !0, !noalias !3
  %27 = add nuw nsw i64 0, %k
  %28 = mul nuw nsw i64 %27, 24
  %29 = add nuw nsw i64 %28, %n6
  %30 = getelementptr inbounds float, float* %b, i64 %29
  %31 = bitcast float* %30 to <8 x float>*
  %32 = load <8 x float>, <8 x float>* %31, align 4, !alias.scope !11, !noalias !12
  %33 = add nuw nsw i64 0, %m5
  %34 = mul nuw nsw i64 %33, 5
  %35 = add nuw nsw i64 %34, %k
  %36 = getelementptr inbounds float, float* %a, i64 %35
  %37 = load float, float* %36, align 4, !alias.scope !13, !noalias !14
  %.splatinsert = insertelement <8 x float> poison, float %37, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %38 = fmul reassoc arcp contract <8 x float> %.splat, %32
  %39 = fadd reassoc arcp contract <8 x float> %26, %38
  %40 = add nuw nsw i64 0, %m5
  %41 = mul nuw nsw i64 %40, 24
  %42 = add nuw nsw i64 %41, %n6
  %43 = getelementptr inbounds float, float* %c, i64 %42
  %44 = bitcast float* %43 to <8 x float>*
  store <8 x float> %39, <8 x float>* %44, align 4, !alias.scope !0, !noalias !3
  br label %guard.done8

guard.done8:                                      ; preds = %guard.in7, %n.i.v.body
  %n.i.v.next = add nuw nsw i64 %n.i.v, 1
  br label %n.i.v.head
}

attributes #0 = { nounwind }

!0 = !{!1}
!1 = distinct !{!1, !2, !"c"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8}
!4 = distinct !{!4, !2, !"a"}
!5 = distinct !{!5, !2, !"a.pack"}
!6 = distinct !{!6, !2, !"b"}
!7 = distinct !{!7, !2, !"b.pack"}
!8 = distinct !{!8, !2, !"c.pack"}
!9 = distinct !{!9, !10}
!10 = !{!"llvm.loop.vectorize.enable", i1 true}
!11 = !{!6}
!12 = !{!4, !5, !7, !1, !8}
!13 = !{!4}
!14 = !{!5, !6, !7, !1, !8}
