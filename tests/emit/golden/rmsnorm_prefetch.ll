; ModuleID = 'rmsnorm_prefetch'
source_filename = "rmsnorm_prefetch"

; Function Attrs: nounwind
define void @rmsnorm_prefetch(i8** noalias %buffers) #0 {
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
  %5 = getelementptr inbounds i8*, i8** %buffers, i64 5
  %axon.scratch = load i8*, i8** %5, align 8
  %6 = getelementptr inbounds i8, i8* %axon.scratch, i64 0
  %7 = ptrtoint i8* %6 to i64
  %8 = add i64 %7, 4095
  %9 = and i64 %8, -4096
  %10 = sub i64 %9, %7
  %11 = add i64 %10, 2048
  %12 = getelementptr inbounds i8, i8* %6, i64 %11
  %y.ss.slice = bitcast i8* %12 to float*
  %13 = getelementptr inbounds i8, i8* %axon.scratch, i64 6208
  %14 = ptrtoint i8* %13 to i64
  %15 = add i64 %14, 4095
  %16 = and i64 %15, -4096
  %17 = sub i64 %16, %14
  %18 = add i64 %17, 2112
  %19 = getelementptr inbounds i8, i8* %13, i64 %18
  %y.r.slice = bitcast i8* %19 to float*
  br label %group0.head

group0.head:                                      ; preds = %n.v.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %n.v.exit ]
  %20 = icmp slt i64 %group0, 4
  br i1 %20, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %21 = sub i64 %group0, %group0
  %22 = add nuw nsw i64 0, %21
  %23 = getelementptr inbounds float, float* %y.ss.slice, i64 %22
  store float 0.000000e+00, float* %23, align 4, !alias.scope !0, !noalias !3
  br label %j.head

group0.exit:                                      ; preds = %group0.head
  ret void

j.head:                                           ; preds = %j.body, %group0.body
  %j = phi i64 [ 0, %group0.body ], [ %j.next, %j.body ]
  %24 = icmp slt i64 %j, 16
  br i1 %24, label %j.body, label %j.exit

j.body:                                           ; preds = %j.head
  %25 = sub i64 %group0, %group0
  %26 = add nuw nsw i64 0, %25
  %27 = getelementptr inbounds float, float* %y.ss.slice, i64 %26
  %28 = load float, float* %27, align 4, !alias.scope !0, !noalias !3
  %29 = add nuw nsw i64 0, %group0
  %30 = mul nuw nsw i64 %29, 16
  %31 = add nuw nsw i64 %30, %j
  %32 = getelementptr inbounds float, float* %x, i64 %31
  %33 = load float, float* %32, align 4, !alias.scope !14, !noalias !15
  %34 = add nuw nsw i64 0, %group0
  %35 = mul nuw nsw i64 %34, 16
  %36 = add nuw nsw i64 %35, %j
  %37 = getelementptr inbounds float, float* %x, i64 %36
  %38 = load float, float* %37, align 4, !alias.scope !14, !noalias !15
  %39 = fmul reassoc arcp contract float %38, %33
  %40 = fadd reassoc arcp contract float %28, %39
  store float %40, float* %27, align 4, !alias.scope !0, !noalias !3
  %j.next = add nuw nsw i64 %j, 1
  br label %j.head

j.exit:                                           ; preds = %j.head
  %41 = sub i64 %group0, %group0
  %42 = add nuw nsw i64 0, %41
  %43 = getelementptr inbounds float, float* %y.ss.slice, i64 %42
  %44 = load float, float* %43, align 4, !alias.scope !0, !noalias !3
  %45 = fdiv reassoc arcp contract float %44, 1.600000e+01
  %46 = fadd reassoc arcp contract float %45, 0x3EB0C6F7A0000000
  %47 = call reassoc arcp contract float @llvm.sqrt.f32(float %46)
  %48 = fdiv reassoc arcp contract float 1.000000e+00, %47
  %49 = sub i64 %group0, %group0
  %50 = add nuw nsw i64 0, %49
  %51 = getelementptr inbounds float, float* %y.r.slice, i64 %50
  store float %48, float* %51, align 4, !alias.scope !16, !noalias !17
  br label %n.v.head

n.v.head:                                         ; preds = %n.v.body, %j.exit
  %n.v = phi i64 [ 0, %j.exit ], [ %n.v.next, %n.v.body ]
  %52 = icmp slt i64 %n.v, 2
  br i1 %52, label %n.v.body, label %n.v.exit

n.v.body:                                         ; preds = %n.v.head
  %53 = mul i64 %n.v, 8
  %54 = add nuw nsw i64 0, %53
  %55 = getelementptr inbounds float, float* %g, i64 %54
  %56 = bitcast float* %55 to <8 x float>*
  %57 = load <8 x float>, <8 x float>* %56, align 4, !alias.scope !18, !noalias !19
  %58 = sub i64 %group0, %group0
  %59 = add nuw nsw i64 0, %58
  %60 = getelementptr inbounds float, float* %y.r.slice, i64 %59
  %61 = load float, float* %60, align 4, !alias.scope !16, !noalias !17
  %.splatinsert = insertelement <8 x float> poison, float %61, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %62 = add i64 %group0, 1
  %63 = add i64 0, %62
  %64 = mul i64 %63, 16
  %65 = add i64 %64, %53
  %66 = getelementptr float, float* %x, i64 %65
  %67 = bitcast float* %66 to i8*
  call void @llvm.prefetch.p0i8(i8* %67, i32 0, i32 3, i32 1)
  %68 = add nuw nsw i64 0, %group0
  %69 = mul nuw nsw i64 %68, 16
  %70 = add nuw nsw i64 %69, %53
  %71 = getelementptr inbounds float, float* %x, i64 %70
  %72 = bitcast float* %71 to <8 x float>*
  %73 = load <8 x float>, <8 x float>* %72, align 4, !alias.scope !14, !noalias !15
  %74 = fmul reassoc arcp contract <8 x float> %73, %.splat
  %75 = fmul reassoc arcp contract <8 x float> %74, %57
  %76 = add nuw nsw i64 0, %group0
  %77 = mul nuw nsw i64 %76, 16
  %78 = add nuw nsw i64 %77, %53
  %79 = getelementptr inbounds float, float* %y, i64 %78
  %80 = bitcast float* %79 to <8 x float>*
  store <8 x float> %75, <8 x float>* %80, align 4, !alias.scope !20, !noalias !21
  %n.v.next = add nuw nsw i64 %n.v, 1
  br label %n.v.head

n.v.exit:                                         ; preds = %n.v.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare float @llvm.sqrt.f32(float) #1

; Function Attrs: inaccessiblemem_or_argmemonly nofree nosync nounwind willreturn
declare void @llvm.prefetch.p0i8(i8* nocapture readonly, i32 immarg, i32 immarg, i32) #2

attributes #0 = { nounwind }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { inaccessiblemem_or_argmemonly nofree nosync nounwind willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"y.ss"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8, !9, !10, !11, !12, !13}
!4 = distinct !{!4, !2, !"x"}
!5 = distinct !{!5, !2, !"x.pack"}
!6 = distinct !{!6, !2, !"g"}
!7 = distinct !{!7, !2, !"g.pack"}
!8 = distinct !{!8, !2, !"y"}
!9 = distinct !{!9, !2, !"y.pack"}
!10 = distinct !{!10, !2, !"y.ss.pack"}
!11 = distinct !{!11, !2, !"y.r"}
!12 = distinct !{!12, !2, !"y.r.pack"}
!13 = distinct !{!13, !2, !"axon.scratch"}
!14 = !{!4}
!15 = !{!5, !6, !7, !8, !9, !1, !10, !11, !12, !13}
!16 = !{!11}
!17 = !{!4, !5, !6, !7, !8, !9, !1, !10, !12, !13}
!18 = !{!6}
!19 = !{!4, !5, !7, !8, !9, !1, !10, !11, !12, !13}
!20 = !{!8}
!21 = !{!4, !5, !6, !7, !9, !1, !10, !11, !12, !13}
